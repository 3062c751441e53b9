import { z } from 'zod';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** `GET /v1/witness-alerts` (docs/decisions.md, "Witness"). */
export const witnessAlertSchema = named('WitnessAlert', z.object({
  id: z.uuid(),
  origin: z.string().meta({ description: 'the log origin (checkpoint first line)' }),
  kind: z.enum(['fork', 'shrink', 'inconsistent-proof']).meta({
    description: 'fork: two roots the log signed for one size; shrink: a signed size below the cosigned one; inconsistent-proof: no valid proof from the cosigned tree',
  }),
  detail: z.string(),
  cosignedSize: z.number().int().meta({ description: 'the size the witness had cosigned when it refused' }),
  cosignedCheckpoint: z.string().nullable().meta({ description: 'that checkpoint, as signed by the log' }),
  submittedOldSize: z.number().int(),
  submittedCheckpoint: z.string().meta({ description: 'the refused checkpoint, as signed by the log: evidence anyone can verify with the log key' }),
  submittedProof: z.array(z.string()).meta({ description: 'the consistency proof submitted, base64' }),
  firstSeenAt: timestamp(),
  lastSeenAt: timestamp(),
  occurrences: z.number().int().meta({ description: 'submissions of the same checkpoint refused for the same reason' }),
}));

export const witnessAlertPageSchema = named('WitnessAlertPage', z.object({ items: z.array(witnessAlertSchema), nextCursor: z.string().nullable() }));
