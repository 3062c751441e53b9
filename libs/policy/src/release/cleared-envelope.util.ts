import type { AssessmentDocument } from '../assessment/assessment.schema.js';
import { COMPONENTS } from '../vocabulary/components.js';
import { minRelease } from '../vocabulary/min-release.util.js';
import type { ClearedComponent, ReleaseCondition } from './release-types.js';

/**
 * What a cleared case may release: every component (unlisted ones `withheld`) at its assessed
 * level, tightened to the lowest `maxRelease` of any condition naming it (a condition naming no
 * component caps them all). Assessed gating is kept while the result is still `gated`.
 */
export const clearedEnvelope = (
  assessment: Pick<AssessmentDocument, 'components'>,
  conditions: readonly ReleaseCondition[],
): ClearedComponent[] =>
  COMPONENTS.map((component) => {
    const assessed = assessment.components?.find((c) => c.component === component);
    const release = conditions.reduce(
      (level, condition) =>
        condition.maxRelease !== undefined && (condition.component === undefined || condition.component === component)
          ? minRelease(level, condition.maxRelease)
          : level,
      assessed?.release ?? 'withheld',
    );
    return release === 'gated' && assessed?.gating
      ? { component, release, gating: { criteria: [...assessed.gating.criteria], approval: assessed.gating.approval } }
      : { component, release };
  });
