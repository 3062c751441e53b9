import { z } from 'zod';
import { ASSESSED_TIERS, BASE_MODEL_RELATIONS, COMPONENTS, RELEASE_LEVELS } from '@app/policy';
import { REDACTION_REASONS } from '@app/registry';
import { CASE_STATES } from '@app/workflow';
import { named, timestamp } from '../../common/openapi.decorators.js';

/** Response bodies of the public registry routes, as RegistryPublisherService signs them. */

const signature = {
  keyId: z.string().meta({ description: 'the `kid` of the key at GET /v1/public/keys' }),
  signature: z.string().meta({
    description: 'base64 Ed25519 over the RFC 8785 JSON of the record without `signature` (and without `logIndex`); records published before the transparency log (no `kind`) sign it without `keyId` too',
  }),
};

/** A text over 2,000 characters, published by hash and served at `…/texts/:sha256`. */
const longText = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), length: z.number().int() }).meta({ description: 'a text over 2,000 characters, served at /v1/public/registry/:id/texts/:sha256' });

const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/);

/** Base models as published: an external origin is null when withheld (see `redactions`). */
const relation = z.enum(BASE_MODEL_RELATIONS).optional();
const publishedBaseModels = z.array(
  z.union([
    z.object({ modelVersionId: z.uuid(), relation }),
    z.object({ external: z.object({ name: z.string(), origin: z.string().nullable(), sha256: sha256().optional() }), relation }),
  ]),
);

export const registryRecordSchema = named('RegistryRecord', z.object({
  kind: z.literal('record').optional().meta({ description: '`record`; absent on records published before the transparency log' }),
  logIndex: z.number().int().optional().meta({ description: 'the record\'s index in the transparency log, once logged; not part of the signed record' }),
  redactions: z
    .array(z.object({ path: z.string(), reason: z.enum(REDACTION_REASONS), commitment: sha256() }))
    .optional()
    .meta({ description: 'each withheld value (null in the record) by its concrete path, with the SHA-256 of JCS({salt, value}); absent on records published before the transparency log' }),
  id: z.uuid(),
  caseId: z.uuid(),
  seq: z.number().int().meta({ description: 'the history seq this record reflects' }),
  publishedAt: timestamp(),
  model: z.object({ name: z.string(), version: z.string(), checkpointSha256: z.string().nullable(), baseModels: publishedBaseModels }),
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
      basis: z.union([z.string(), longText, z.null()]),
      conditions: z.array(z.object({ text: z.union([z.string(), longText, z.null()]).meta({ description: 'null when withheld (see `redactions`)' }), component: z.enum(COMPONENTS).optional(), maxRelease: z.enum(RELEASE_LEVELS).optional() })),
      issuedAt: timestamp(),
    }),
  ),
  releasedAt: timestamp().nullable(),
  chainHead: z.object({ seq: z.number().int(), hash: sha256() }).meta({ description: 'the history row at `seq`' }),
  ...signature,
}));

export const registryPageSchema = named('RegistryPage', z.object({
  items: z.array(registryRecordSchema),
  nextCursor: z.string().nullable(),
  checkpoint: z.string().nullable().meta({ description: 'the note text of the latest signed checkpoint (C2SP tlog-checkpoint); null before the first' }),
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

export const inclusionProofSchema = named('RegistryInclusionProof', z.object({
  logIndex: z.number().int(),
  treeSize: z.number().int(),
  inclusionProof: z.array(z.string()).meta({ description: 'RFC 9162 inclusion proof, standard base64 hashes, leaf to root' }),
  checkpoint: z.string().meta({ description: 'the signed checkpoint the proof leads to' }),
}));

export const consistencyQuerySchema = z.strictObject({
  from: z.coerce.number().int().min(0).meta({ description: 'the smaller tree size' }),
  to: z.coerce.number().int().min(0).meta({ description: 'the larger tree size, at most the latest checkpoint\'s' }),
});

export const consistencyProofSchema = named('LogConsistencyProof', z.object({
  from: z.number().int(),
  to: z.number().int(),
  proof: z.array(z.string()).meta({ description: 'RFC 9162 consistency proof, standard base64 hashes' }),
}));

export const dsseEnvelopeSchema = named('DsseEnvelope', z.object({
  payloadType: z.literal('application/vnd.in-toto+json'),
  payload: z.string().meta({ description: 'standard base64 of the in-toto Statement v1 JSON' }),
  signatures: z.array(z.object({ keyid: z.string().meta({ description: 'the JWK `kid` at GET /v1/public/keys' }), sig: z.string().meta({ description: 'standard base64 Ed25519 over PAE(payloadType, payload)' }) })),
}));
