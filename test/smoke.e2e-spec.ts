import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CaseDriver } from './support/case-driver.js';
import { startStack, type TestStack } from './support/stack.js';
import { createWorld, type World } from './support/world.js';

describe('smoke: a low-tier case to released', () => {
  let stack: TestStack;
  let world: World;
  let driver: CaseDriver;

  beforeAll(async () => {
    stack = await startStack();
    world = await createWorld(stack.http);
    driver = new CaseDriver(world);
  });
  afterAll(async () => stack?.close());

  it('moves through intake, audit and sign-off to released', async () => {
    const caseId = await driver.create();
    const afterIntake = await driver.submitThroughIntake(caseId);
    expect(afterIntake.state).toBe('awaiting_assignment');
    await driver.fireOk(world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: world.auditorA.id });
    const cleared = await driver.approve(world.auditorA, caseId);
    expect(cleared.state).toBe('cleared');
    const released = await driver.fireOk(world.developer, caseId, 'RECORD_RELEASE', {
      components: [{ component: 'inference_code', release: 'open', location: 'https://example.org/code' }],
    });
    expect(released.state).toBe('released');
    expect(released.releasedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const verify = await world.regulator.http.get(`/v1/cases/${caseId}/history/verify`);
    expect(verify.body).toEqual({ valid: true, length: 5, headHash: expect.any(String), firstBadSeq: null });
  });
});
