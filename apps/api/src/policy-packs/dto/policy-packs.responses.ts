import { z } from 'zod';
import { policyPackSchema } from '@app/policy';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the policy-pack routes (a pack document itself is `policyPackSchema`). */

export const policyPackListSchema = named('PolicyPackList', z.object({
  items: z.array(
    z.object({
      ref: z.string().meta({ description: '`<id>@<version>`, as cases pin it' }),
      id: z.string(),
      version: z.string(),
      title: z.string(),
      publishedAt: timestamp(),
    }),
  ),
  nextCursor: z.null(),
}));

/** A JSON Schema document. */
export const jsonSchemaDocument = named('JsonSchemaDocument', z.record(z.string(), z.unknown()));

/** A published pack document. */
export const policyPackDocumentSchema = named('PolicyPack', policyPackSchema);
