import { z } from 'zod';
import { BASE_MODEL_RELATIONS } from '@app/policy';
import { CASE_STATES } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the lineage routes, as LineageQuery builds them. */

const relation = z.enum(BASE_MODEL_RELATIONS).nullable().meta({ description: 'how the derived model version comes from its base; null when not declared' });
const truncated = z
  .boolean()
  .meta({ description: 'true when a walk stopped at 1,000 model versions (nearest generations first): ask again from a model version at the edge to see beyond it' });
const depth = z.number().int().meta({ description: 'links from the model version asked about: negative for ancestors, positive for descendants' });

const publicLineageItem = z.object({
  recordId: z.uuid().meta({ description: 'the newest published record of that model version' }),
  name: z.string(),
  version: z.string(),
  relation: relation.meta({ description: 'the relation of the link reaching it on a shortest path from the record asked about' }),
  state: z.enum(CASE_STATES).meta({ description: 'the state that record published' }),
  depth,
});

export const publicLineageSchema = named(
  'PublicLineage',
  z.object({
    ancestors: z.array(publicLineageItem).meta({ description: 'nearest first' }),
    descendants: z.array(publicLineageItem).meta({ description: 'nearest first' }),
    truncated,
  }),
);

export const lineageGraphSchema = named(
  'LineageGraph',
  z.object({
    modelVersionId: z.uuid(),
    nodes: z.array(
      z.object({
        modelVersionId: z.uuid(),
        name: z.string(),
        version: z.string(),
        developerOrganisationId: z.uuid(),
        depth,
        case: z.object({ id: z.uuid(), state: z.enum(CASE_STATES), releasedAt: timestamp().nullable() }).nullable().meta({ description: 'its latest case' }),
        flagged: z.boolean().meta({ description: 'its latest case is held, revoked or in reassessment, which flags its descendants' }),
        externalBases: z.array(
          z.object({ name: z.string(), origin: z.string(), sha256: z.string().nullable(), relation }),
        ).meta({ description: 'base models outside Clearance' }),
      }),
    ).meta({ description: 'the model version, its ancestors and its descendants at any depth, by depth' }),
    edges: z.array(z.object({ from: z.uuid().meta({ description: 'the base model version' }), to: z.uuid().meta({ description: 'the one derived from it' }), relation })),
    truncated,
  }),
);
