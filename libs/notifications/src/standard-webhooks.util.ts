import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `whsec_` + base64 of 24 random bytes, as Standard Webhooks recommends; the HMAC key is the decoded bytes. */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

const keyOf = (secret: string): Buffer => Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>` (Standard Webhooks). */
export const signWebhook = (secret: string, id: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

/** What a receiver does: any listed v1 signature matching is enough. */
export const verifyWebhook = (secret: string, headers: { id: string; timestamp: string; signature: string }, body: string): boolean => {
  const expected = Buffer.from(signWebhook(secret, headers.id, Number(headers.timestamp), body));
  return headers.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
};
