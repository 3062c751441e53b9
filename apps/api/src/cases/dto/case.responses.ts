import { z } from 'zod';
import { baseModelsSchema } from '@app/cases';
import { ASSESSED_TIERS, COMPONENTS, RELEASE_LEVELS, assessmentSchema } from '@app/policy';
import { ALL_DEADLINE_KINDS, CASE_STATES, EVENT_TYPES, HISTORY_EVENT_TYPES, ROLES } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the case routes, as CaseViewService.render, toListItem and the history routes build them. */

const caseState = z.enum(CASE_STATES);
const tier = z.enum(ASSESSED_TIERS).nullable();

export const modelViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.string(),
  checkpointSha256: z.string().nullable(),
  baseModels: baseModelsSchema,
});

export const caseViewSchema = named('CaseView', z.object({
  id: z.uuid(),
  state: caseState,
  version: z.number().int().meta({ description: 'counts every accepted write; the ETag' }),
  revision: z.number().int().meta({ description: '0 before the first SUBMIT' }),
  revisionHash: z.string().nullable(),
  tier,
  releasedAt: timestamp().nullable(),
  developerOrganisationId: z.uuid(),
  policyPack: z.string().meta({ description: '`<id>@<version>`' }),
  workflowVersion: z.string(),
  model: modelViewSchema.nullable(),
  assessment: assessmentSchema.meta({ description: 'the working assessment; a draft may be incomplete' }),
  assignments: z.array(
    z.object({ auditorId: z.uuid(), auditFirmId: z.uuid(), assignedAt: timestamp(), unassignedAt: timestamp().nullable() }),
  ),
  findings: z.array(
    z.object({
      id: z.uuid(),
      severity: z.enum(['info', 'minor', 'major', 'critical']),
      title: z.string(),
      detail: z.string(),
      component: z.string().nullable(),
      domain: z.string().nullable(),
      raisedBy: z.uuid(),
      revision: z.number().int(),
      status: z.enum(['open', 'responded', 'resolved']),
      response: z.string().nullable(),
      resolutionNote: z.string().nullable(),
      createdAt: timestamp(),
    }),
  ),
  opinions: z.array(
    z.object({
      id: z.uuid(),
      auditorId: z.uuid(),
      revisionHash: z.string(),
      kind: z.enum(['unmodified', 'qualified', 'adverse', 'disclaimer']),
      assurance: z.enum(['reasonable', 'limited']),
      basis: z.string().nullable(),
      conditions: z.array(z.object({ text: z.string(), component: z.enum(COMPONENTS).optional(), maxRelease: z.enum(RELEASE_LEVELS).optional() })),
      issuedAt: timestamp(),
    }),
  ),
  deadlines: z
    .array(
      z.object({
        id: z.uuid(),
        kind: z.enum(ALL_DEADLINE_KINDS),
        dueAt: timestamp(),
        pausedAt: timestamp().nullable(),
        escalatedAt: timestamp().nullable(),
      }),
    )
    .meta({ description: 'the open deadlines' }),
  allowedEvents: z.array(z.enum(EVENT_TYPES)).meta({ description: 'what the caller may fire now; [] in a final state' }),
  createdAt: timestamp(),
  stateEnteredAt: timestamp(),
}));

export const caseListItemSchema = z.object({
  id: z.uuid(),
  state: caseState,
  version: z.number().int(),
  revision: z.number().int(),
  tier,
  model: modelViewSchema,
  developerOrganisationId: z.uuid(),
  createdAt: timestamp(),
  stateEnteredAt: timestamp(),
  nextDeadline: timestamp().nullable().meta({ description: 'the soonest unpaused open deadline' }),
});

/** `{items, nextCursor}`: keyset pages; `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const casePageSchema = named('CasePage', pageOf(caseListItemSchema));

export const evidenceSchema = named('Evidence', z.object({ id: z.uuid(), sha256: z.string(), size: z.number().int(), mediaType: z.string() }));

export const historyItemSchema = z.object({
  seq: z.number().int(),
  type: z.enum(HISTORY_EVENT_TYPES),
  actor: z.union([z.object({ id: z.uuid(), role: z.enum(ROLES), organisationId: z.uuid().nullable() }), z.literal('system')]),
  fromState: caseState,
  toState: caseState,
  at: timestamp(),
  payload: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export const historyPageSchema = named('HistoryPage', pageOf(historyItemSchema));

export const chainVerificationSchema = named('ChainVerification', z.object({
  valid: z.boolean(),
  length: z.number().int(),
  headHash: z.string(),
  firstBadSeq: z.number().int().nullable(),
}));

export const historyProofSchema = named('HistoryProof', z.object({
  head: z.object({ seq: z.number().int(), hash: z.string() }).meta({ description: 'the case\'s chain head as of the latest heads entry' }),
  headsEntry: z.object({
    kind: z.literal('heads'),
    at: timestamp(),
    count: z.number().int().meta({ description: 'cases in the heads tree' }),
    root: z.string().meta({ description: 'RFC 6962 root of the heads tree, lowercase hex' }),
    logIndex: z.number().int().meta({ description: 'the entry\'s index in the log (not part of the entry)' }),
  }),
  headsIndex: z.number().int().meta({ description: 'the case\'s leaf JCS({caseIdHash, seq, hash}) in the heads tree' }),
  headsInclusion: z.array(z.string()).meta({ description: 'RFC 9162 inclusion proof in the heads tree, lowercase hex hashes, leaf to root' }),
  logInclusion: z.array(z.string()).meta({ description: 'RFC 9162 inclusion proof of the heads entry in the log, standard base64 hashes' }),
  checkpoint: z.string().meta({ description: 'the signed checkpoint the log proof leads to' }),
}));

export const auditorsSchema = named('AuditorList', z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      email: z.string(),
      displayName: z.string(),
      organisationId: z.uuid(),
      organisationName: z.string(),
      assignable: z.boolean().optional().meta({ description: 'with ?caseId: whether ASSIGN_AUDITOR would accept this auditor' }),
      reasons: z.array(z.object({ rule: z.string(), message: z.string() })).optional().meta({ description: 'with ?caseId: why not' }),
    }),
  ),
  nextCursor: z.null(),
}));

export const queueSummarySchema = named('QueueSummary', z.array(
  z.object({
    name: z.union([caseState, z.literal('overdue'), z.literal('incidents')]),
    count: z.number().int(),
    oldestAt: timestamp().nullable(),
  }),
));
