import { createHash, randomBytes } from 'node:crypto';

/** Opaque bearer tokens: 32 random bytes, shown once, stored only as a SHA-256. */
export const generateToken = (): string => `clr_${randomBytes(32).toString('base64url')}`;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
