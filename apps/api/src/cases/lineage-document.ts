import type { Request } from 'express';
import { LINEAGE_MEDIA_TYPES, type LineageDocument } from '@app/cases';
import { unsupportedMediaType, validationFailed } from '@app/problems';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The document `POST /v1/cases/:id/model/import` received, as the body parsers left it: a BOM parsed
 * as JSON (`application/*+json`), a model card as bytes (bootstrap's raw parser), read as strict UTF-8.
 */
export const lineageDocumentOf = (request: Request): LineageDocument => {
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (type === LINEAGE_MEDIA_TYPES.cyclonedx) return { kind: 'cyclonedx', bom: request.body as unknown };
  if (type !== LINEAGE_MEDIA_TYPES.modelCard)
    throw unsupportedMediaType(`this route reads ${LINEAGE_MEDIA_TYPES.cyclonedx} or ${LINEAGE_MEDIA_TYPES.modelCard}, not ${type || 'a body without a media type'}`);
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replaceAll('"', '');
  if (charset !== undefined && charset !== 'utf-8') throw unsupportedMediaType(`a model card is read as UTF-8, not ${charset}`);
  const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  try {
    return { kind: 'modelCard', markdown: UTF8.decode(bytes) };
  } catch {
    throw validationFailed([{ path: '$', message: 'a model card is UTF-8 text' }]);
  }
};
