import type { BaseModelRef } from '@app/persistence';
import type { Component } from '@app/policy';
import type { RegistryRecord } from '../registry-record.util.js';
import { RELATION_PROPERTY } from './cyclonedx-lineage.util.js';

/** The media type of an exported BOM. */
export const CYCLONEDX_MEDIA_TYPE = 'application/vnd.cyclonedx+json; version=1.7';

/** A linked base model that has a published registry record: what that record says of it. */
export interface PublishedAncestor {
  recordId: string;
  name: string;
  version: string;
  checkpointSha256: string | null;
}

/** What a registry record's BOM is built from: the record (long texts inlined) and its published ancestors by model version id. */
export type BomRecord = Pick<
  RegistryRecord,
  'id' | 'caseId' | 'publishedAt' | 'developer' | 'state' | 'tier' | 'policyPack' | 'clearance' | 'opinions' | 'releasedAt' | 'chainHead'
> & { model: { name: string; version: string; checkpointSha256: string | null; baseModels: readonly BaseModelRef[] } };

/** The CycloneDX component type of each Model Openness Framework component. */
const COMPONENT_TYPES: Record<Component, string> = {
  model_architecture: 'file',
  data_preprocessing_code: 'application',
  training_code: 'application',
  inference_code: 'application',
  evaluation_code: 'application',
  supporting_libraries: 'library',
  model_parameters: 'file',
  intermediate_parameters: 'file',
  datasets: 'data',
  evaluation_data: 'data',
  model_metadata: 'file',
  sample_outputs: 'data',
  model_card: 'file',
  data_card: 'file',
  technical_report: 'file',
  research_paper: 'file',
  evaluation_results: 'data',
};

type Property = { name: string; value: string };
const property = (name: string, value: string | number | null | undefined): Property[] =>
  value === null || value === undefined ? [] : [{ name, value: String(value) }];
const sha256Hashes = (sha256: string | null | undefined) => (sha256 ? { hashes: [{ alg: 'SHA-256', content: sha256 }] } : {});

const ancestorOf = (link: BaseModelRef, i: number, published: ReadonlyMap<string, PublishedAncestor>) => {
  const common = { type: 'machine-learning-model', 'bom-ref': `ancestor-${i}` };
  const relation = property(RELATION_PROPERTY, link.relation);
  if ('external' in link) {
    const { name, origin, sha256 } = link.external;
    const url = /^https?:\/\//i.test(origin) ? { externalReferences: [{ type: 'distribution', url: origin }] } : {};
    const purl = origin.startsWith('pkg:') ? { purl: origin } : {};
    return { ...common, name, ...sha256Hashes(sha256), ...purl, ...url, properties: [...relation, ...property('clearance:origin', origin)] };
  }
  const record = published.get(link.modelVersionId);
  const ids = property('clearance:modelVersionId', link.modelVersionId);
  // A base model never published is named by its id only: its name is not public.
  if (!record) return { ...common, name: `unpublished model version ${link.modelVersionId}`, properties: [...relation, ...ids] };
  return {
    ...common,
    name: record.name,
    version: record.version,
    ...sha256Hashes(record.checkpointSha256),
    properties: [...relation, ...ids, ...property('clearance:registryRecord', record.recordId)],
  };
};

/**
 * A registry record as a CycloneDX 1.7 ML-BOM: the model (its SHA-256 and pedigree ancestors), one
 * component per MOF component with its cleared release and gating, and the audit firms and their
 * opinions as declarations. Deterministic: the same record gives the same BOM.
 */
export const buildRecordBom = (record: BomRecord, published: ReadonlyMap<string, PublishedAncestor>) => {
  const ancestors = record.model.baseModels.map((link, i) => ancestorOf(link, i, published));
  const firms = [...new Map(record.opinions.map((o) => [o.auditFirm.id, o.auditFirm.name])).entries()];
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.7',
    serialNumber: `urn:uuid:${record.id}`,
    version: 1,
    metadata: {
      timestamp: record.publishedAt,
      tools: { components: [{ type: 'application', name: 'Clearance' }] },
      component: {
        type: 'machine-learning-model',
        'bom-ref': 'model',
        name: record.model.name,
        version: record.model.version,
        supplier: { name: record.developer.name },
        ...sha256Hashes(record.model.checkpointSha256),
        ...(ancestors.length > 0 ? { pedigree: { ancestors } } : {}),
      },
      properties: [
        ...property('clearance:registryRecord', record.id),
        ...property('clearance:case', record.caseId),
        ...property('clearance:state', record.state),
        ...property('clearance:tier', record.tier),
        ...property('clearance:policyPack', record.policyPack),
        ...property('clearance:releasedAt', record.releasedAt),
        ...property('clearance:chainHead.seq', record.chainHead.seq),
        ...property('clearance:chainHead.hash', record.chainHead.hash),
      ],
    },
    components: record.clearance.map((cleared) => ({
      type: COMPONENT_TYPES[cleared.component],
      'bom-ref': `mof-${cleared.component}`,
      name: cleared.component,
      properties: [
        ...property('clearance:release', cleared.release),
        ...(cleared.gating?.criteria ?? []).flatMap((criterion) => property('clearance:gating.criteria', criterion)),
        ...property('clearance:gating.approval', cleared.gating?.approval),
      ],
    })),
    declarations: {
      assessors: firms.map(([id, name]) => ({ 'bom-ref': `assessor-${id}`, thirdParty: true, organization: { name } })),
      attestations: record.opinions.map((opinion) => ({
        summary: `${opinion.kind} opinion, ${opinion.assurance} assurance`,
        assessor: `assessor-${opinion.auditFirm.id}`,
        map: [{ conformance: { ...(typeof opinion.basis === 'string' ? { rationale: opinion.basis } : {}) } }],
      })),
    },
  };
};
