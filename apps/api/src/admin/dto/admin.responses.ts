import { z } from 'zod';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the admin routes. */

export const createdIdSchema = named('CreatedId', z.object({ id: z.uuid() }));

export const publishedPackSchema = named('PublishedPolicyPack', z.object({ id: z.string().meta({ description: '`<id>@<version>`' }) }));

export const issuedTokenSchema = named('IssuedToken', z.object({
  id: z.uuid(),
  token: z.string().meta({ description: 'shown once; only its hash is kept' }),
  expiresAt: timestamp(),
}));

/** A token as `GET …/tokens` lists it: never the secret. */
export const tokenSchema = z.object({
  id: z.uuid(),
  label: z.string().nullable(),
  createdAt: timestamp(),
  createdBy: z.uuid().nullable().meta({ description: 'who issued it: an admin, the holder itself, or null for ADMIN_TOKEN' }),
  expiresAt: timestamp(),
  lastUsedAt: timestamp().nullable().meta({ description: 'the last 2xx answer to it, to the minute' }),
  revokedAt: timestamp().nullable(),
});

export const tokenPageSchema = named('TokenPage', z.object({ items: z.array(tokenSchema), nextCursor: z.string().nullable() }));
