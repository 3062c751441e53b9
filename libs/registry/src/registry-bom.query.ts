import { Injectable } from '@nestjs/common';
import { findByIdOr404 } from '@app/http';
import { RegistryRepository, TransparencyLogRepository } from '@app/persistence';
import { buildRecordBom, type BomRecord } from './bom/record-bom.util.js';
import { inlineTexts, textReferencesOf } from './bom/record-texts.util.js';

/** `GET /v1/public/registry/:id/bom`: a registry record as a CycloneDX 1.7 ML-BOM. */
@Injectable()
export class RegistryBomQuery {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly log: TransparencyLogRepository,
  ) {}

  async execute(recordId: string) {
    const record = await findByIdOr404(recordId, (id) => this.registry.findRecord(id), 'no such registry record');
    // Long texts (an opinion's basis, gating criteria) are published beside the record: the BOM carries them whole.
    const texts = new Map<string, string>();
    for (const sha256 of textReferencesOf(record)) {
      const text = await this.log.text(recordId, sha256);
      if (text !== null) texts.set(sha256, text);
    }
    const source = inlineTexts(record, texts) as unknown as BomRecord;
    const linked = source.model.baseModels.flatMap((base) => ('modelVersionId' in base ? [base.modelVersionId] : []));
    const published = await this.registry.publishedModels(linked);
    return buildRecordBom(source, new Map(published.map((p) => [p.modelVersionId, p])));
  }
}
