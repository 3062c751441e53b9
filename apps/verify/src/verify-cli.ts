import { parseArgs, type ParseArgsConfig } from 'node:util';
import { verifyAttestation } from './attestation.check.js';
import { CheckReport, UsageError, VerificationFailure } from './check-report.js';
import { checkCheckpoint, checkpointTrust, type CheckpointTrust } from './checkpoint.check.js';
import { verifyConsistencyOf } from './consistency.check.js';
import { verifyHistory } from './history.check.js';
import { verifyRecord } from './record.check.js';
import { readText, readVerifierKey } from './verify-inputs.util.js';

export const USAGE = `clearance-verify: verify Clearance public registry data offline (node:crypto only, no network)

Usage:
  clearance-verify record <record.json> --keys <keys.json>
      [--proof <proof.json> [--checkpoint <checkpoint.txt>] --log-key <vkey>]
  clearance-verify checkpoint <checkpoint.txt> --log-key <vkey> [--witness-key <vkey> ...] [--quorum N]
  clearance-verify consistency <old.txt> <new.txt> --log-key <vkey> [--proof <consistency.json>]
  clearance-verify attestation <envelope.json> --keys <keys.json> [--weights <file> | --weights-sha256 <hex>]
      [--record <record.json>]
  clearance-verify history <history.json> [--case <id>]
      [--proof <history-proof.json> [--checkpoint <checkpoint.txt>] --log-key <vkey>]

Inputs are files saved from the API, as served:
  record.json          GET /v1/public/registry/:id
  keys.json            GET /v1/public/keys (the JWK Set; the record's keyId picks the key)
  proof.json           GET /v1/public/registry/:id/proof (its checkpoint is used unless --checkpoint is given)
  checkpoint.txt       GET /v1/public/log/checkpoint
  consistency.json     GET /v1/public/log/consistency?from=<old size>&to=<new size>
  envelope.json        GET /v1/public/registry/:id/attestation
  history.json         GET /v1/cases/:id/history pages: {items} with every page's items, or an array
  history-proof.json   GET /v1/cases/:id/history/proof
  <vkey>               a C2SP verifier key (GET /v1/public/log/key; a witness's from GET /v1/public/log/witnesses),
                       or a file holding one

Every command that reads a checkpoint takes --witness-key (repeatable) and --quorum N: at least N of
the given witnesses must have cosigned it (default: all of them).

Prints one line per check (✓ or ✗); exits 0 when every check passed, 1 naming the first check that
failed, 2 on a usage error or an unreadable input.`;

const checkpointOptions = {
  'log-key': { type: 'string' },
  'witness-key': { type: 'string', multiple: true },
  quorum: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const COMMANDS = {
  record: { positionals: ['record.json'], options: { keys: { type: 'string' }, proof: { type: 'string' }, checkpoint: { type: 'string' }, ...checkpointOptions } },
  checkpoint: { positionals: ['checkpoint.txt'], options: checkpointOptions },
  consistency: { positionals: ['old.txt', 'new.txt'], options: { proof: { type: 'string' }, ...checkpointOptions } },
  attestation: {
    positionals: ['envelope.json'],
    options: { keys: { type: 'string' }, weights: { type: 'string' }, 'weights-sha256': { type: 'string' }, record: { type: 'string' } },
  },
  history: { positionals: ['history.json'], options: { case: { type: 'string' }, proof: { type: 'string' }, checkpoint: { type: 'string' }, ...checkpointOptions } },
} as const satisfies Record<string, { positionals: readonly string[]; options: ParseArgsConfig['options'] }>;

type CommandName = keyof typeof COMMANDS;
type Values = Record<string, string | string[] | boolean | undefined>;

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

function parseCommand(name: CommandName, args: string[]): { positionals: string[]; values: Values } {
  const spec = COMMANDS[name];
  let parsed: { positionals: string[]; values: Values };
  try {
    const options: ParseArgsConfig['options'] = { ...spec.options, help: { type: 'boolean', short: 'h' } };
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as { positionals: string[]; values: Values };
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
  if (parsed.values.help !== true && parsed.positionals.length !== spec.positionals.length) {
    throw new UsageError(`${name} takes ${spec.positionals.map((p) => `<${p}>`).join(' ')}`);
  }
  return parsed;
}

function required(values: Values, name: string, command: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`${command} needs --${name}`);
  return value;
}

function optional(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function trustFrom(values: Values, command: string): CheckpointTrust {
  const logKey = readVerifierKey(required(values, 'log-key', command), 'log');
  const witnessKeys = ((values['witness-key'] as string[] | undefined) ?? []).map((key) => readVerifierKey(key, 'witness'));
  const quorumText = optional(values, 'quorum');
  if (quorumText !== undefined && !/^(?:0|[1-9][0-9]{0,3})$/.test(quorumText)) throw new UsageError(`--quorum ${quorumText} is not a number of witnesses`);
  return checkpointTrust(logKey, witnessKeys, quorumText === undefined ? undefined : Number(quorumText));
}

/** `--proof` brings `--checkpoint` and the trust options with it; without it they mean nothing. */
function proofOptions(values: Values, command: string) {
  const proofPath = optional(values, 'proof');
  if (proofPath === undefined) {
    for (const name of ['checkpoint', 'log-key', 'witness-key', 'quorum']) {
      if (values[name] !== undefined) throw new UsageError(`${command}: --${name} goes with --proof`);
    }
    return undefined;
  }
  return { proofPath, checkpointPath: optional(values, 'checkpoint'), trust: trustFrom(values, command) };
}

async function run(name: CommandName, positionals: string[], values: Values, report: CheckReport): Promise<void> {
  switch (name) {
    case 'record':
      verifyRecord(report, { recordPath: positionals[0], keysPath: required(values, 'keys', name), inclusion: proofOptions(values, name) });
      return;
    case 'checkpoint':
      checkCheckpoint(report, 'checkpoint', readText(positionals[0], 'checkpoint'), trustFrom(values, name));
      return;
    case 'consistency':
      verifyConsistencyOf(report, { oldPath: positionals[0], newPath: positionals[1], proofPath: optional(values, 'proof'), trust: trustFrom(values, name) });
      return;
    case 'attestation': {
      const path = optional(values, 'weights');
      const sha256 = optional(values, 'weights-sha256');
      if (path !== undefined && sha256 !== undefined) throw new UsageError('attestation takes --weights or --weights-sha256, not both');
      if (sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(sha256)) throw new UsageError(`--weights-sha256 ${sha256} is not 64 hex digits`);
      const weights = path !== undefined ? { path } : sha256 !== undefined ? { sha256: sha256.toLowerCase() } : undefined;
      await verifyAttestation(report, { envelopePath: positionals[0], keysPath: required(values, 'keys', name), weights, recordPath: optional(values, 'record') });
      return;
    }
    case 'history':
      verifyHistory(report, { historyPath: positionals[0], caseId: optional(values, 'case'), proof: proofOptions(values, name) });
      return;
  }
}

/** Where the verifier writes: checks to `out`, the failure summary and usage errors to `err`. */
export type VerifyOutput = { out(line: string): void; err(line: string): void };

/** Runs `clearance-verify` with `argv` (without node and the script); resolves to the exit code. */
export async function runVerify(argv: readonly string[], output: VerifyOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? output.err : output.out)(USAGE);
    return name === undefined ? 2 : 0;
  }
  const report = new CheckReport(output.out);
  try {
    if (!isCommand(name)) throw new UsageError(`unknown command ${name}`);
    const { positionals, values } = parseCommand(name, rest);
    if (values.help === true) {
      output.out(USAGE);
      return 0;
    }
    await run(name, positionals, values, report);
    output.out(`OK: ${name}: all ${report.passed} checks passed`);
    return 0;
  } catch (error) {
    if (error instanceof VerificationFailure) {
      output.err(`clearance-verify: FAILED: ${error.message}`);
      return 1;
    }
    if (error instanceof UsageError) {
      output.err(`clearance-verify: ${error.message}`);
      output.err('Run clearance-verify --help for usage.');
      return 2;
    }
    throw error;
  }
}
