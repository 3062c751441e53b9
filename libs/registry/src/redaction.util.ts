import { randomBytes } from 'node:crypto';
import { canonicalJson, sha256Hex } from '@app/integrity';

/** The fields of a public record a regulator may withhold (SPEC "Redactions"), as JSONPath patterns. */
export const REDACTABLE_PATHS = ['$.opinions[*].basis', '$.opinions[*].conditions[*].text', '$.model.baseModels[*].external.origin'] as const;
export type RedactablePath = (typeof REDACTABLE_PATHS)[number];

export const REDACTION_REASONS = ['security', 'commercial', 'personal'] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

/** A case's standing order to withhold every value a pattern matches. */
export type RedactionRule = { path: RedactablePath; reason: RedactionReason };

/** What a published record lists for one withheld value: its concrete path and a commitment to it. */
export type RedactionEntry = { path: string; reason: RedactionReason; commitment: string };

/** The opening of a commitment, kept private for the case's readers. */
export type WithheldValue = { path: string; reason: RedactionReason; salt: string; value: unknown };

/** The shape of a record that redaction reads: only the redactable fields matter here. */
export type RedactableRecord = {
  model: { baseModels: unknown[] };
  opinions: Array<{ basis: unknown; conditions: unknown[] }>;
};

/** 32 random bytes in lowercase hex. */
export const newRedactionSalt = (): string => randomBytes(32).toString('hex');

/** Lowercase hex SHA-256 of JCS({salt, value}). */
export const redactionCommitment = (salt: string, value: unknown): string => sha256Hex(canonicalJson({ salt, value }));

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One value a pattern matched: its concrete path, and how to read and null it in the record's copy. */
type Slot = { path: string; holder: Record<string, unknown>; key: string };

/** Every concrete place a pattern names in `record` that holds a value (a null or absent field withholds nothing). */
function slotsOf(record: RedactableRecord, pattern: RedactablePath): Slot[] {
  const slots: Slot[] = [];
  const add = (path: string, holder: unknown, key: string) => {
    if (isObject(holder) && holder[key] !== undefined && holder[key] !== null) slots.push({ path, holder, key });
  };
  switch (pattern) {
    case '$.opinions[*].basis':
      record.opinions.forEach((opinion, i) => add(`$.opinions[${i}].basis`, opinion, 'basis'));
      break;
    case '$.opinions[*].conditions[*].text':
      record.opinions.forEach((opinion, i) => opinion.conditions.forEach((condition, j) => add(`$.opinions[${i}].conditions[${j}].text`, condition, 'text')));
      break;
    case '$.model.baseModels[*].external.origin':
      record.model.baseModels.forEach((base, i) => add(`$.model.baseModels[${i}].external.origin`, isObject(base) ? base.external : undefined, 'origin'));
      break;
  }
  return slots;
}

/** A deep copy of JSON data, so nulling a value never touches the caller's record. */
const copyJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Withholds what `rules` name: each matched value becomes null in a copy of `record`, listed with its
 * concrete path and a salted commitment; `withheld` holds the openings. A rule repeated withholds
 * nothing more: its values are already null.
 */
export function applyRedactions<T extends RedactableRecord>(
  record: T,
  rules: readonly RedactionRule[],
  salt: () => string = newRedactionSalt,
): { record: T; redactions: RedactionEntry[]; withheld: WithheldValue[] } {
  const copy = copyJson(record);
  const redactions: RedactionEntry[] = [];
  const withheld: WithheldValue[] = [];
  for (const rule of rules) {
    for (const { path, holder, key } of slotsOf(copy, rule.path)) {
      const value = holder[key];
      const opening = { path, reason: rule.reason, salt: salt(), value };
      holder[key] = null;
      withheld.push(opening);
      redactions.push({ path, reason: rule.reason, commitment: redactionCommitment(opening.salt, value) });
    }
  }
  return { record: copy, redactions, withheld };
}
