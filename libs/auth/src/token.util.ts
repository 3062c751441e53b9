import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque bearer tokens: 32 random bytes, shown once, stored only as a SHA-256. */
export const generateToken = (): string => `clr_${randomBytes(32).toString('base64url')}`;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The token of an `Authorization: Bearer <token>` header. */
export const bearerToken = (authorization: string | undefined): string | undefined => /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];

/** Compares two secrets in constant time (their hashes have one length). */
export const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
