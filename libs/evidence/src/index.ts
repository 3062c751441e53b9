export {
  EVIDENCE_MAX_BYTES,
  EVIDENCE_MEDIA_TYPES,
  classifyEvidence,
  type EvidenceClassification,
  type EvidenceInput,
  type EvidenceMediaType,
} from './media-type.util.js';
