import { afterAll, beforeAll } from '@jest/globals';
import { CaseDriver } from './case-driver.js';
import { startStack, type TestStack } from './stack.js';
import { createWorld, type World } from './world.js';

export interface Suite {
  stack: TestStack;
  world: World;
  driver: CaseDriver;
}

/**
 * The common setup of an e2e suite: a stack (see startStack), a fresh world on it and a case driver.
 * Call it inside a describe block at collection time: it registers the beforeAll that fills in the
 * returned object and the afterAll that closes the stack. Read the properties inside hooks and tests.
 * A suite's own beforeAll/afterAll hooks, declared after this call, run after these ones.
 */
export const useSuite = (options: Parameters<typeof startStack>[0] = {}): Suite => {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.stack = await startStack(options);
    suite.world = await createWorld(suite.stack.http);
    suite.driver = new CaseDriver(suite.world);
  });
  afterAll(async () => suite.stack?.close());
  return suite;
};
