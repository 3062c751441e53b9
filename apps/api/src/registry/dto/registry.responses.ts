import { z } from 'zod';
import { baseModelsSchema } from '@app/cases';
import { ASSESSED_TIERS, COMPONENTS, RELEASE_LEVELS } from '@app/policy';
import { CASE_STATES } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the public registry routes, as RegistryPublisherService signs them. */

const signature = {
  keyId: z.string().meta({ description: 'the `kid` of the key at GET /v1/public/keys' }),
  signature: z.string().meta({ description: 'base64 Ed25519 over the RFC 8785 JSON of the document without `signature` and `keyId`' }),
};

const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/);

export const registryRecordSchema = named('RegistryRecord', z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  seq: z.number().int().meta({ description: 'the history seq this record reflects' }),
  publishedAt: timestamp(),
  model: z.object({ name: z.string(), version: z.string(), checkpointSha256: z.string().nullable(), baseModels: baseModelsSchema }),
  developer: z.object({ id: z.uuid(), name: z.string() }),
  state: z.enum(CASE_STATES),
  revision: z.number().int(),
  revisionHash: z.string().nullable(),
  tier: z.enum(ASSESSED_TIERS).nullable(),
  policyPack: z.string().meta({ description: '`<id>@<version>`' }),
  clearance: z
    .array(
      z.object({
        component: z.enum(COMPONENTS),
        release: z.enum(RELEASE_LEVELS),
        gating: z.object({ criteria: z.array(z.string()), approval: z.enum(['manual', 'automatic']) }).optional(),
      }),
    )
    .meta({ description: 'the cleared release of every component, tightened by the opinions\' conditions' }),
  opinions: z.array(
    z.object({
      auditFirm: z.object({ id: z.uuid(), name: z.string() }),
      kind: z.enum(['unmodified', 'qualified', 'adverse', 'disclaimer']),
      assurance: z.enum(['reasonable', 'limited']),
      basis: z.string().nullable(),
      conditions: z.array(z.object({ text: z.string(), component: z.enum(COMPONENTS).optional(), maxRelease: z.enum(RELEASE_LEVELS).optional() })),
      issuedAt: timestamp(),
    }),
  ),
  releasedAt: timestamp().nullable(),
  chainHead: z.object({ seq: z.number().int(), hash: sha256() }).meta({ description: 'the history row at `seq`' }),
  ...signature,
}));

export const registryCheckpointSchema = named('RegistryCheckpoint', z.object({
  id: z.uuid(),
  createdAt: timestamp(),
  heads: z
    .array(z.object({ caseIdHash: sha256(), seq: z.number().int(), hash: sha256() }))
    .meta({ description: 'every case chain head, keyed by the SHA-256 of the case id, sorted by it' }),
  headsHash: sha256().meta({ description: 'SHA-256 of the RFC 8785 JSON of `heads`' }),
  ...signature,
}));

export const registryPageSchema = named('RegistryPage', z.object({
  items: z.array(registryRecordSchema),
  nextCursor: z.string().nullable(),
  checkpoint: registryCheckpointSchema.nullable().meta({ description: 'the latest signed checkpoint; null before the first' }),
}));

export const publicKeysSchema = named('PublicKeys', z.object({
  keys: z
    .array(
      z.object({
        kty: z.literal('OKP'),
        crv: z.literal('Ed25519'),
        x: z.string(),
        kid: z.string(),
        alg: z.literal('EdDSA'),
        use: z.literal('sig'),
      }),
    )
    .meta({ description: 'every key ever used, as RFC 8037 JWKs, oldest first' }),
}));
