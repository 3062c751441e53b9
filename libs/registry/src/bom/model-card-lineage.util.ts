import { parseDocument } from 'yaml';
import type { FieldProblem } from '@app/problems';
import { BASE_MODEL_RELATIONS } from '@app/policy';
import { MAX_BASE_MODELS, isBaseModelRelation, type BaseModelClaim, type LineageReading } from './base-model-claim.js';

/** A Hugging Face Hub model id: `name` or `owner/name`, letters, digits, `-`, `_` and `.` (at most 96 each). */
const HUB_ID = /^[A-Za-z0-9][\w.-]{0,95}(\/[A-Za-z0-9][\w.-]{0,95})?$/;
const HUB = 'https://huggingface.co/';

/**
 * The longest front matter read, in characters. The Hub's own cards keep theirs to a few KiB (a
 * large `model-index` of evaluation results reaches tens); YAML parses at about 0.6 ms a KiB here,
 * so a 1 MiB front matter would hold the api's event loop for most of a second.
 */
export const MAX_FRONT_MATTER_CHARS = 128 * 1024;

/** The YAML between a first line `---` and the next line `---` (a UTF-8 byte order mark aside). */
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n?^---[ \t]*$/m;

/**
 * Reads the lineage of a Hugging Face model card: YAML front matter `base_model` (a Hub id or a
 * list of them) and `base_model_relation`. Without a relation, two or more base models are a
 * `merge` and one has none. A card without `base_model` declares no base model.
 */
export const readModelCardLineage = (markdown: string): LineageReading => {
  const front = FRONT_MATTER.exec(markdown);
  if (!front || front.index !== 0)
    return { ok: false, problems: [{ path: '$', message: 'a model card starts with YAML front matter between two `---` lines' }] };
  if (front[1]!.length > MAX_FRONT_MATTER_CHARS)
    return { ok: false, problems: [{ path: '$', message: `the front matter is at most ${MAX_FRONT_MATTER_CHARS / 1024} KiB (${MAX_FRONT_MATTER_CHARS} characters)` }] };
  const document = parseDocument(front[1]!, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0)
    return {
      ok: false,
      // Lines counted in the card: the front matter starts on line 2.
      problems: document.errors.map((e) => ({
        path: '$',
        message: `front matter line ${(e.linePos?.[0].line ?? 0) + 1} is not YAML: ${e.message.split('\n')[0]!}`,
      })),
    };
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // yaml refuses to expand an alias bomb (a ReferenceError naming the alias count).
    return { ok: false, problems: [{ path: '$', message: `front matter is not YAML Clearance reads: ${(error as Error).message}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, problems: [{ path: '$', message: 'the front matter is a YAML mapping' }] };
  const fields = data as Record<string, unknown>;
  const problems: FieldProblem[] = [];

  const given = fields.base_model;
  const entries: Array<{ path: string; value: unknown }> =
    given === undefined || given === null
      ? []
      : Array.isArray(given)
        ? given.map((value, i) => ({ path: `$.base_model[${i}]`, value }))
        : [{ path: '$.base_model', value: given }];
  if (entries.length > MAX_BASE_MODELS) problems.push({ path: '$.base_model', message: `at most ${MAX_BASE_MODELS} base models` });
  for (const { path, value } of entries)
    if (typeof value !== 'string' || !HUB_ID.test(value.trim())) problems.push({ path, message: 'must be a Hugging Face Hub model id (`owner/name`)' });

  const relation = fields.base_model_relation;
  if (relation !== undefined && relation !== null) {
    if (!isBaseModelRelation(relation)) problems.push({ path: '$.base_model_relation', message: `must be one of ${BASE_MODEL_RELATIONS.join(', ')}` });
    else if (entries.length === 0) problems.push({ path: '$.base_model', message: 'is required when base_model_relation is given' });
  }
  if (problems.length > 0) return { ok: false, problems };

  const ids = [...new Map(entries.map((e) => [(e.value as string).trim(), e.path])).entries()];
  const declared = isBaseModelRelation(relation) ? relation : ids.length >= 2 ? 'merge' : undefined;
  const claims: BaseModelClaim[] = ids.map(([id, path]) => ({ path, name: id, origin: `${HUB}${id}`, relation: declared, hubId: true }));
  return { ok: true, model: { path: '$' }, claims };
};
