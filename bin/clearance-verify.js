#!/usr/bin/env node
// The `clearance-verify` bin: a committed, executable shim, so that rebuilding dist/ (which nest
// build deletes and rewrites without the executable bit) never breaks `npx clearance-verify`.
try {
  await import('../dist/apps/verify/src/clearance-verify.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('clearance-verify.js')) throw error;
  process.stderr.write('clearance-verify: not built yet; run `npm run build` (or `npx nest build`) in the project first\n');
  process.exitCode = 2;
}
