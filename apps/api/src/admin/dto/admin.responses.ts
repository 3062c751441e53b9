import { z } from 'zod';
import { named } from '../../common/openapi.decorators.js';

/** Response bodies of the admin routes. */

export const createdIdSchema = named('CreatedId', z.object({ id: z.uuid() }));

export const publishedPackSchema = named('PublishedPolicyPack', z.object({ id: z.string().meta({ description: '`<id>@<version>`' }) }));

export const issuedTokenSchema = named('IssuedToken', z.object({ id: z.uuid(), token: z.string().meta({ description: 'shown once; only its hash is kept' }) }));
