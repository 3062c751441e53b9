import { canonicalJson, sha256Hex } from '@app/integrity';
import { clearedEnvelope, type AssessmentDocument, type ClearedComponent, type ReleaseCondition } from '@app/policy';
import type { ChainHeadRow, RegistrySourceRow } from '@app/persistence';

/** A public registry record before signing: what SPEC.md lets anyone read about a completed audit. */
export interface RegistryRecord {
  id: string;
  caseId: string;
  seq: number;
  publishedAt: string;
  model: { name: string; version: string; checkpointSha256: string | null; baseModels: unknown[] };
  developer: { id: string; name: string };
  state: string;
  revision: number;
  revisionHash: string | null;
  tier: string | null;
  policyPack: string;
  clearance: ClearedComponent[];
  opinions: Array<{
    auditFirm: { id: string; name: string };
    kind: string;
    assurance: string;
    basis: string | null;
    conditions: unknown[];
    issuedAt: string;
  }>;
  releasedAt: string | null;
  chainHead: { seq: number; hash: string };
}

/**
 * Builds a record from the case as of one history seq. Only named fields are copied, so findings,
 * evidence, the assessment body and auditors' personal ids can never leak into it.
 */
export const buildRegistryRecord = (source: RegistrySourceRow, meta: { id: string; publishedAt: string }): RegistryRecord => {
  const conditions = source.opinions.flatMap((o) => o.conditions) as ReleaseCondition[];
  const assessment = (source.revision?.assessment ?? {}) as Pick<AssessmentDocument, 'components'>;
  return {
    id: meta.id,
    caseId: source.caseId,
    seq: source.seq,
    publishedAt: meta.publishedAt,
    model: {
      name: source.model.name,
      version: source.model.version,
      checkpointSha256: source.model.checkpointSha256,
      baseModels: source.model.baseModels,
    },
    developer: { id: source.developer.id, name: source.developer.name },
    state: source.state,
    revision: source.revision?.number ?? 0,
    revisionHash: source.revision?.hash ?? null,
    tier: source.revision?.tier ?? null,
    policyPack: source.policyPack,
    clearance: clearedEnvelope(assessment, conditions),
    opinions: source.opinions.map((o) => ({
      auditFirm: { id: o.auditFirm.id, name: o.auditFirm.name },
      kind: o.kind,
      assurance: o.assurance,
      basis: o.basis,
      conditions: o.conditions,
      issuedAt: o.issuedAt,
    })),
    releasedAt: source.releasedAt,
    chainHead: { seq: source.seq, hash: source.hash },
  };
};

/** One checkpoint entry: the case id is hashed so the heads of cases never published stay anonymous. */
export type CheckpointHead = { caseIdHash: string; seq: number; hash: string };

/** A checkpoint before signing. */
export interface RegistryCheckpoint {
  id: string;
  createdAt: string;
  heads: CheckpointHead[];
  headsHash: string;
}

/** Every case's head, keyed by sha256(caseId) and sorted by it, with the SHA-256 of their canonical JSON. */
export const checkpointHeads = (rows: readonly ChainHeadRow[]): { heads: CheckpointHead[]; headsHash: string } => {
  const heads = rows
    .map((r) => ({ caseIdHash: sha256Hex(r.caseId), seq: r.seq, hash: r.hash }))
    .sort((a, b) => (a.caseIdHash < b.caseIdHash ? -1 : a.caseIdHash > b.caseIdHash ? 1 : 0));
  return { heads, headsHash: sha256Hex(canonicalJson(heads)) };
};
