import { describe, expect, it } from '@jest/globals';
import * as policy from '@app/policy';

describe('@app/policy', () => {
  it('exports the public API through its root entry', () => {
    const names = [
      'COMPONENTS', 'CAPABILITY_COMPONENTS', 'RELEASE_LEVELS', 'releaseRank', 'TIERS', 'ASSESSED_TIERS', 'tierRank',
      'DEFAULT_DOMAINS', 'assessmentSchema', 'validateAssessmentShape', 'validateAssessmentComplete', 'policyPackSchema',
      'policyPackJsonSchema', 'validatePolicyPack', 'DEADLINE_KINDS', 'parseIsoDuration', 'CAIP_2025', 'SHIPPED_POLICY_PACKS',
      'packRef', 'parsePackRef', 'compareVersions', 'effectiveTier', 'assessedTier', 'tierRequirements', 'screenIntake',
      'domainEvaluated', 'weightsWithinTier', 'ancestorNotHeld', 'clearedEnvelope', 'checkRecordRelease',
      'recordReleaseComponentsSchema',
    ];
    expect(names.filter((name) => !(name in policy))).toEqual([]);
  });
});
