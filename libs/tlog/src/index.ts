// Transparency log protocol code: RFC 6962/9162 Merkle proofs, C2SP tlog-tiles, signed-note,
// tlog-checkpoint, tlog-cosignature, tlog-witness, and DSSE. Imports node:crypto and node:buffer
// only, so the offline verifier can load the compiled output with nothing else installed.
export { HASH_SIZE, bytesEqual, decodeBase64Strict, encodeBase64, sha256 } from './bytes.util.js';
export { emptyRoot, leafHash, merkleRoot, nodeHash, splitPoint } from './merkle-hash.util.js';
export { hashAtFromLeafHashes, rangeHash, rangeNodes, type HashAt, type LeafRange, type NodeId } from './subtree-hash.util.js';
export {
  inclusionProof,
  inclusionProofNodes,
  inclusionProofRanges,
  rootFromInclusionProof,
  verifyInclusion,
} from './inclusion-proof.util.js';
export { consistencyProof, consistencyProofNodes, consistencyProofRanges, verifyConsistency } from './consistency-proof.util.js';
export {
  MAX_TILE_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  encodeTileIndex,
  entryBundlePath,
  parseTilePath,
  tilePath,
  type ParsedTilePath,
  type TileCoord,
} from './tile-path.util.js';
export { hashesAtLevel, newTiles, tileLevels, tileWidth, tilesForSize, type TileLevel } from './tile-layout.util.js';
export { decodeTile, encodeTile, hashAtFromTiles, tileForNode, tileHashesFromLeaves, tileRoot } from './tile-data.util.js';
export { MAX_ENTRY_BYTES, decodeEntryBundle, encodeEntryBundle } from './entry-bundle.util.js';
export {
  ED25519_KEY_SIZE,
  ED25519_SIGNATURE_SIZE,
  ed25519PrivateKeyFromSeed,
  ed25519PublicKeyFromRaw,
  ed25519RawPublicKey,
  ed25519Sign,
  ed25519Verify,
} from './ed25519-key.util.js';
export {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  formatVerifierKey,
  isValidKeyName,
  keyIdHex,
  noteKeyId,
  parseVerifierKey,
  type SignatureType,
  type VerifierKey,
} from './note-key.util.js';
export {
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  NoteError,
  formatSignatureLine,
  openNote,
  parseNote,
  signNote,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
  type ParsedNote,
} from './signed-note.util.js';
export { ed25519NoteSigner, ed25519NoteVerifier, noteVerifierFromKey } from './ed25519-note.util.js';
export { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint, type CheckpointInput } from './checkpoint.util.js';
export { COSIGNATURE_V1_SIZE, cosignatureMessage, cosignatureTimestamp, cosignatureVerifier, ed25519Cosigner } from './cosignature.util.js';
export {
  MAX_WITNESS_PROOF_LINES,
  encodeAddCheckpointRequest,
  parseAddCheckpointRequest,
  type AddCheckpointRequest,
} from './witness-request.util.js';
export {
  DsseError,
  pae,
  signEnvelope,
  verifyEnvelope,
  type DsseEnvelope,
  type DsseSignature,
  type DsseTrustedKey,
  type VerifiedEnvelope,
} from './dsse.util.js';
export {
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  inTotoStatement,
  signInTotoStatement,
  verifyInTotoEnvelope,
  type InTotoStatement,
  type StatementSubject,
} from './in-toto-statement.util.js';
export { checkAddCheckpoint, type AddCheckpointDecision, type WitnessedTree } from './witness-check.util.js';
export { addCosignatures } from './cosigned-checkpoint.util.js';
export { applyLeafUpdates, leafUpdateReads, type StoredNode } from './merkle-update.util.js';
