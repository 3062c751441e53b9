import { describe, expect, it } from '@jest/globals';
import { useSuite } from './support/suite.js';

describe('smoke: a low-tier case to released', () => {
  const suite = useSuite();

  it('moves through intake, audit and sign-off to released', async () => {
    const caseId = await suite.driver.create();
    const afterIntake = await suite.driver.submitThroughIntake(caseId);
    expect(afterIntake.state).toBe('awaiting_assignment');
    await suite.driver.fireOk(suite.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: suite.world.auditorA.id });
    const cleared = await suite.driver.approve(suite.world.auditorA, caseId);
    expect(cleared.state).toBe('cleared');
    const released = await suite.driver.fireOk(suite.world.developer, caseId, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
    });
    expect(released.state).toBe('released');
    expect(released.releasedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const verify = await suite.world.regulator.http.get(`/v1/cases/${caseId}/history/verify`);
    expect(verify.body).toEqual({ valid: true, length: 5, headHash: expect.any(String), firstBadSeq: null });
  });
});
