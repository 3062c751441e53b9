export { canonicalJson, sha256Hex } from './canonical-json.util.js';
export {
  ChainVerifier,
  GENESIS_HASH,
  OPERATOR_LOG_CHAIN_ID,
  eventHash,
  verifyChain,
  type ChainHead,
  type ChainItem,
  type ChainVerification,
  type EventActor,
  type HistoryItem,
} from './hash-chain.util.js';
export { revisionHash } from './revision-hash.util.js';
export { findInvalidString } from './invalid-string.util.js';
export {
  generateSigningKeyPair,
  publicKeyJwk,
  signCanonical,
  signingKeyId,
  verifyCanonical,
  type Ed25519PublicJwk,
  type SigningKeyPair,
} from './signature.util.js';
export { signDocument, verifyDocument, type SignedDocument } from './signed-document.util.js';
