import { z } from 'zod';
import { defineEvent } from './define-event.js';

export const recordRelease = defineEvent({
  type: 'RECORD_RELEASE',
  actor: 'developer',
  payload: (policy) => z.strictObject({ components: policy.recordReleaseComponents }),
  guards: [
    {
      // One reason per component more open or more weakly gated than cleared.
      rule: 'release-within-clearance',
      check: ({ facts }) => facts.releaseViolations ?? [],
    },
  ],
  facts: ['releaseViolations'],
  records: true,
});
