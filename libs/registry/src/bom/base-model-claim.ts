import { BASE_MODEL_RELATIONS, type BaseModelRelation } from '@app/policy';
import type { FieldProblem } from '@app/problems';

export const isBaseModelRelation = (value: unknown): value is BaseModelRelation =>
  (BASE_MODEL_RELATIONS as readonly unknown[]).includes(value);

/** One base model as an imported document names it, before it is matched to Clearance's model versions. */
export interface BaseModelClaim {
  /** Where the document names it (`$.metadata.component.pedigree.ancestors[0]`), for problems. */
  path: string;
  name: string;
  version?: string;
  /** Lowercase hex. */
  sha256?: string;
  /** Where it comes from (a URL or a purl), kept when it stays external. */
  origin: string;
  relation?: BaseModelRelation;
  /** A Hugging Face Hub id: it matches a model version by name alone. */
  hubId: boolean;
}

/** What an imported document says about the model it describes and its base models, or every problem it has. */
export type LineageReading =
  | { ok: true; model: { name?: string; version?: string; sha256?: string; path: string }; claims: BaseModelClaim[] }
  | { ok: false; problems: FieldProblem[] };

/** At most as many base models as `PATCH /v1/cases/:id/model` takes. */
export const MAX_BASE_MODELS = 100;

/** Each problem once, in the order first found (two validators may name the same one). */
export const uniqueProblems = (problems: readonly FieldProblem[]): FieldProblem[] => [
  ...new Map(problems.map((p) => [`${p.path}\u0000${p.message}`, p])).values(),
];
