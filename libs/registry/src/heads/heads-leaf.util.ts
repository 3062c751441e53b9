import { canonicalJson, sha256Hex } from '@app/integrity';

/** A `heads` log entry (SPEC): the RFC 6962 root, lowercase hex, over every case's head leaf. */
export type HeadsEntry = { kind: 'heads'; at: string; count: number; root: string };

/** The bytes of a case's leaf in the heads tree: JCS({caseIdHash, seq, hash}), the case id hashed so unpublished cases stay anonymous. */
export const headsLeafBytes = (caseId: string, seq: number, hash: string): Buffer =>
  Buffer.from(canonicalJson({ caseIdHash: sha256Hex(caseId), seq, hash }), 'utf8');
