import { fromBase64, fromBase64Url, utf8 } from './bytes';
import { canonicalJson } from './canonical-json';
import { ed25519Verify } from './ed25519';
import { leafHash, rootFromInclusionProof } from './merkle-proof';
import { NoteError, openNote, parseCheckpoint, parseNote, parseVerifierKey } from './signed-note';

/** A registry record as `GET /v1/public/registry/:id` answers it: only what the checks read is typed. */
export type SignedRecord = { readonly kind?: string; readonly keyId?: string; readonly signature: string; readonly logIndex?: number; readonly [field: string]: unknown };
/** An RFC 8037 OKP JWK of `GET /v1/public/keys`. */
export type PublicJwk = { kty: string; crv: string; x: string; kid: string };
/** `GET /v1/public/registry/:id/proof`. */
export type InclusionProof = { logIndex: number; treeSize: number; inclusionProof: string[]; checkpoint: string };

/** One check's outcome, with what was checked or why it failed, in words. */
export type Check = { ok: boolean; detail: string };

const without = (record: SignedRecord, ...fields: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([k]) => !fields.includes(k)));

/**
 * The bytes the registry signed: the JCS of the record without `signature` and `logIndex`
 * (`kind` and `keyId` are signed); a record from before the log (no `kind`) was signed without
 * its `keyId` too.
 */
export const signedBytes = (record: SignedRecord): Uint8Array<ArrayBuffer> =>
  utf8(canonicalJson(record.kind === undefined ? without(record, 'signature', 'logIndex', 'keyId') : without(record, 'signature', 'logIndex')));

/** The log entry of a record: the record without `logIndex`, or a pre-log record wrapped as `legacy-record`. */
export const logEntryBytes = (record: SignedRecord): Uint8Array<ArrayBuffer> => {
  const stored = without(record, 'logIndex');
  return utf8(canonicalJson(record.kind === undefined ? { kind: 'legacy-record', record: stored } : stored));
};

const fail = (detail: string): Check => ({ ok: false, detail });

/** The record's Ed25519 signature, by the key of `keys` whose `kid` is the record's `keyId`. */
export async function checkRecordSignature(record: SignedRecord, keys: readonly PublicJwk[]): Promise<Check> {
  const jwk = keys.find((k) => k.kid === record.keyId);
  if (!jwk) return fail(`no published key has kid ${String(record.keyId)}`);
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return fail(`key ${jwk.kid} is not an Ed25519 key`);
  const publicKey = fromBase64Url(jwk.x);
  const signature = fromBase64(record.signature);
  if (!publicKey || publicKey.length !== 32) return fail(`key ${jwk.kid} is malformed`);
  if (!signature || signature.length !== 64) return fail('the signature is not 64 bytes of base64');
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = signedBytes(record);
  } catch (error) {
    return fail(`the record has no canonical form: ${(error as Error).message}`);
  }
  return (await ed25519Verify(publicKey, signature, bytes))
    ? { ok: true, detail: `Ed25519 signature by key ${jwk.kid} over the record's ${bytes.length} canonical bytes` }
    : fail(`the signature does not match the record under key ${jwk.kid}`);
}

/**
 * The record's inclusion in the log: the RFC 6962 root recomputed from the record's own entry
 * bytes and the proof must be the root of the checkpoint the proof names, at its tree size.
 */
export async function checkInclusion(record: SignedRecord, proof: InclusionProof): Promise<Check> {
  if (record.logIndex !== undefined && record.logIndex !== proof.logIndex) return fail(`the proof is for log index ${proof.logIndex}, the record says ${record.logIndex}`);
  let checkpoint;
  try {
    checkpoint = parseCheckpoint(parseNote(proof.checkpoint).text);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (checkpoint.size !== proof.treeSize) return fail(`the proof is for a tree of ${proof.treeSize} entries, the checkpoint has ${checkpoint.size}`);
  const hashes = proof.inclusionProof.map(fromBase64);
  if (hashes.some((h) => h === null)) return fail('the proof holds a hash that is not base64');
  const leaf = await leafHash(logEntryBytes(record));
  const root = await rootFromInclusionProof(proof.logIndex, proof.treeSize, leaf, hashes as Uint8Array[]);
  if (!root) return fail(`the proof cannot place entry ${proof.logIndex} in a tree of ${proof.treeSize}`);
  const matches = root.length === checkpoint.rootHash.length && root.every((b, i) => b === checkpoint.rootHash[i]);
  return matches
    ? { ok: true, detail: `entry ${proof.logIndex} of ${proof.treeSize}: the recomputed root is the checkpoint's` }
    : fail(`the root recomputed from the record and the proof is not the checkpoint's root`);
}

/** The checkpoint's signature by the log's C2SP verifier key, which must name the checkpoint's origin. */
export async function checkCheckpoint(note: string, verifierKey: string): Promise<Check> {
  try {
    const key = await parseVerifierKey(verifierKey);
    const checkpoint = parseCheckpoint(await openNote(note, key));
    if (checkpoint.origin !== key.name) return fail(`the checkpoint's origin ${checkpoint.origin} is not the key's ${key.name}`);
    return { ok: true, detail: `signed by ${key.name} (key id ${key.keyId.toString(16).padStart(8, '0')}), tree size ${checkpoint.size}` };
  } catch (error) {
    if (error instanceof NoteError) return fail(error.message);
    throw error;
  }
}
