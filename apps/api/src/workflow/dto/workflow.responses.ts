import { z } from 'zod';
import { CASE_STATES, EVENT_TYPES } from '@app/workflow';
import { named } from '../../common/openapi.decorators.js';

const state = z.enum(CASE_STATES);
const event = z.enum(EVENT_TYPES);

/** `GET /v1/workflow`: the machine's states, events, edges and a Mermaid diagram. */
export const workflowSchema = named('Workflow', z.object({
  version: z.string(),
  states: z.array(state),
  finalStates: z.array(state),
  events: z.array(event),
  systemEvents: z.array(event),
  transitions: z.array(z.object({ from: state, event, to: state })),
  mermaid: z.string().meta({ description: 'a stateDiagram-v2' }),
}));
