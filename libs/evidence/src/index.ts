export {
  EVIDENCE_MAX_BYTES,
  EVIDENCE_MEDIA_TYPES,
  EVIDENCE_OTHER_MEDIA_TYPE,
  classifyEvidence,
  servedMediaType,
  type EvidenceClassification,
  type EvidenceInput,
  type EvidenceMediaType,
  type StoredMediaType,
} from './media-type.util.js';
