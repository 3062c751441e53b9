import { z } from 'zod';
import { REDACTABLE_PATHS, REDACTION_REASONS } from '@app/registry';
import { named } from '../../common/openapi.decorators.js';

/** Response bodies of the redaction routes (SPEC "Redactions"). */

export const redactionAddedSchema = named('RedactionAdded', z.object({
  caseId: z.uuid(),
  path: z.enum(REDACTABLE_PATHS),
  reason: z.enum(REDACTION_REASONS),
  seq: z.number().int().meta({ description: 'the REDACTION_ADDED row in the case’s history' }),
}));

export const withheldValuesSchema = named('WithheldValues', z.object({
  items: z.array(
    z.object({
      recordId: z.uuid().meta({ description: 'the registry record that withheld the value' }),
      path: z.string().meta({ description: 'the concrete path in that record, e.g. `$.opinions[0].basis`' }),
      reason: z.enum(REDACTION_REASONS),
      salt: z.string().regex(/^[0-9a-f]{64}$/).meta({ description: '32 random bytes, lowercase hex' }),
      value: z.string().meta({ description: 'the withheld value: SHA-256 of JCS({salt, value}) is the record’s `commitment`' }),
    }),
  ),
}));
