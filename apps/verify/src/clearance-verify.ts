#!/usr/bin/env node
// The `clearance-verify` bin (package.json): node builtins and the compiled libs/tlog only.
import { runVerify } from './verify-cli.js';

process.exitCode = await runVerify(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
