import { canonicalJson, sha256Hex } from '@app/integrity';
import { inTotoStatement, type InTotoStatement } from '@app/tlog';

/** The predicate type of a registry attestation; docs/registry.md describes every field. */
export const RELEASE_DECISION_PREDICATE_TYPE = 'https://clearance.example/registry/release-decision/v1';

/** A registry record's release decision, as the predicate of its in-toto statement. */
export interface ReleaseDecisionPredicate {
  record: { id: string; logIndex: number | null; sha256: string };
  caseId: string;
  decision: string;
  developer: unknown;
  tier: unknown;
  policyPack: unknown;
  revision: unknown;
  revisionHash: unknown;
  clearance: unknown;
  opinions: Array<{ auditFirm: unknown; kind: unknown; assurance: unknown; issuedAt: unknown }>;
  releasedAt: unknown;
  publishedAt: unknown;
  chainHead: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The in-toto Statement v1 of a registry record as served (`logIndex` included when logged), or
 * null when its model version names no weights (`checkpointSha256`). Derived from the record alone,
 * so the same record always gives the same statement; a later decision is a later record.
 */
export function releaseDecisionStatement(served: Record<string, unknown>): InTotoStatement<ReleaseDecisionPredicate> | null {
  const { logIndex, ...record } = served;
  const model = isObject(record.model) ? record.model : null;
  if (model === null || typeof model.checkpointSha256 !== 'string') return null;
  const opinions = Array.isArray(record.opinions) ? (record.opinions as unknown[]).filter(isObject) : [];
  const predicate: ReleaseDecisionPredicate = {
    record: { id: String(record.id), logIndex: typeof logIndex === 'number' ? logIndex : null, sha256: sha256Hex(canonicalJson(record)) },
    caseId: String(record.caseId),
    decision: String(record.state),
    developer: record.developer,
    tier: record.tier ?? null,
    policyPack: record.policyPack,
    revision: record.revision,
    revisionHash: record.revisionHash ?? null,
    clearance: record.clearance,
    // The decision's parties and kinds; bases and conditions stay in the record (and its redactions).
    opinions: opinions.map((o) => ({ auditFirm: o.auditFirm, kind: o.kind, assurance: o.assurance, issuedAt: o.issuedAt })),
    releasedAt: record.releasedAt ?? null,
    publishedAt: record.publishedAt,
    chainHead: record.chainHead,
  };
  return inTotoStatement([{ name: `${String(model.name)}@${String(model.version)}`, digest: { sha256: model.checkpointSha256 } }], RELEASE_DECISION_PREDICATE_TYPE, predicate);
}
