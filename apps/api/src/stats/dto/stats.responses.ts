import { z } from 'zod';
import { RELEASE_LEVELS } from '@app/policy';
import { CASE_STATES, DEADLINE_KINDS } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';

const durations = {
  stays: z.number().int().meta({ description: 'stays in the state that overlap the window' }),
  medianSeconds: z.number().meta({ description: 'each stay counted whole; an open stay ends now' }),
  p90Seconds: z.number(),
};

/** `GET /v1/stats` (see docs/decisions.md, "Regulator statistics"). */
export const statsSchema = named('Stats', z.object({
  from: timestamp().nullable().meta({ description: 'null: unbounded' }),
  to: timestamp().meta({ description: 'the bound asked for, else now (Postgres clock)' }),
  casesByState: z
    .array(z.object({ state: z.enum(CASE_STATES), count: z.number().int() }))
    .meta({ description: 'every state, counting cases created before `to` by their current state' }),
  timeInState: z.object({
    byDeveloperOrganisation: z.array(
      z.object({ state: z.enum(CASE_STATES), developerOrganisationId: z.uuid(), developerOrganisationName: z.string(), ...durations }),
    ),
    byWeightsRelease: z.array(
      z.object({
        state: z.enum(CASE_STATES),
        release: z.enum(RELEASE_LEVELS).meta({ description: 'model_parameters in the current assessment; withheld when not listed' }),
        ...durations,
      }),
    ),
  }),
  deadlineBreaches: z
    .array(
      z.object({
        kind: z.enum(DEADLINE_KINDS),
        count: z.number().int().meta({ description: 'deadlines that fell due in the window while open and running' }),
        stillOpen: z.number().int().meta({ description: 'of those, still open now' }),
      }),
    )
    .meta({ description: 'every deadline kind' }),
}));
