import type { ClearedComponent, RecordedComponent, ReleaseViolation } from './release-types.js';

export const GATING_NOT_WEAKER = 'gating-not-weaker';

/**
 * A component recorded as `gated` where clearance was `gated` keeps every cleared criterion,
 * and `manual` approval never becomes `automatic`. Recording it more closed than cleared
 * (e.g. `api`) needs no gating; recording it more open is `release-within-clearance`'s concern.
 */
export const gatingNotWeaker = (recorded: RecordedComponent, cleared: ClearedComponent): ReleaseViolation[] => {
  if (recorded.release !== 'gated' || cleared.release !== 'gated' || !cleared.gating) return [];
  const name = recorded.component;
  const kept = new Set(recorded.gating?.criteria ?? []);
  const violations: ReleaseViolation[] = cleared.gating.criteria
    .filter((criterion) => !kept.has(criterion))
    .map((criterion) => ({ rule: GATING_NOT_WEAKER, message: `${name}: gating drops the cleared criterion ${criterion}` }));
  if (cleared.gating.approval === 'manual' && recorded.gating?.approval !== 'manual') {
    violations.push({
      rule: GATING_NOT_WEAKER,
      message: `${name}: ${recorded.gating?.approval ?? 'no'} approval is weaker than the cleared manual approval`,
    });
  }
  return violations;
};
