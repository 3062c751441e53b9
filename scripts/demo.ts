/**
 * `npm run demo`: starts api, worker and one witness against the configured Postgres and Redis, seeds
 * organisations, users and cases in several states, prints a token per role, and keeps
 * running until Ctrl-C. Configured like the services (DATABASE_URL, REDIS_URL, PORT, ADMIN_TOKEN,
 * WITNESS_PORT).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { highTierAssessment, lowTierAssessment } from '@app/testing';

const PORT = process.env.PORT ?? '3000';
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? 'demo-admin-token-change-me';
const WITNESS_PORT = process.env.WITNESS_PORT ?? '3100';
const WITNESS = `http://127.0.0.1:${WITNESS_PORT}`;
const children: ChildProcess[] = [];

const start = (name: string, entry: string, env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, PORT, ADMIN_TOKEN, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', REGISTRY_WITNESSES: process.env.REGISTRY_WITNESSES ?? WITNESS, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`${name} exited with ${code}; stopping the demo\n`);
      void stop(1);
    }
  });
  children.push(child);
};

let stopping = false;
const stop = async (code = 0) => {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.exit(code);
};
// Children never outlive the demo.
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const call = async (token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- demo reads loose JSON
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
};

const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const main = async () => {
  start('api', 'dist/apps/api/src/main.js');
  start('worker', 'dist/apps/worker/src/main.js');
  await waitUntil('the api', async () => (await fetch(`${BASE}/health`)).ok);
  // The witness cosigns the registry log: its key from the api when the api serves one (SPEC GET /v1/public/log/key).
  const logKey = await fetch(`${BASE}/v1/public/log/key`).then(async (r) => (r.ok ? (await r.text()).trim() : ''), () => '');
  start('witness', 'dist/apps/witness/src/main.js', { WITNESS_PORT, WITNESS_LOG_KEYS: process.env.WITNESS_LOG_KEYS ?? logKey });
  await waitUntil('the witness', async () => (await fetch(`${WITNESS}/health`)).ok);
  const witnessKey = (await (await fetch(`${WITNESS}/verifier-key`)).text()).trim();

  const tag = randomBytes(3).toString('hex');
  const org = async (name: string, kind: string) => (await call(ADMIN_TOKEN, 'POST', '/v1/admin/organisations', { name, kind })).id as string;
  const user = async (organisationId: string, role: string, displayName: string) => {
    const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}+${tag}@demo.clearance`;
    const { id } = await call(ADMIN_TOKEN, 'POST', '/v1/admin/users', { email, displayName, organisationId, role });
    const { token } = await call(ADMIN_TOKEN, 'POST', `/v1/admin/users/${id}/tokens`);
    return { id: id as string, token: token as string, displayName, role };
  };

  const acme = await org('Acme AI', 'developer');
  const sentinel = await org('Sentinel Assurance', 'audit_firm');
  const veritas = await org('Veritas Audit', 'audit_firm');
  const office = await org('AI Safety Office', 'regulator');
  const developer = await user(acme, 'developer', 'Dana Developer');
  const auditor = await user(sentinel, 'auditor', 'Ari Auditor');
  const auditor2 = await user(veritas, 'auditor', 'Vera Auditor');
  const regulator = await user(office, 'regulator', 'Rhea Regulator');

  const state = async (id: string) => (await call(regulator.token, 'GET', `/v1/cases/${id}`)).state as string;
  const fire = (who: { token: string }, id: string, type: string, payload: Record<string, unknown> = {}) =>
    call(who.token, 'POST', `/v1/cases/${id}/events`, { type, ...payload });
  const newCase = async (name: string, assessment: Record<string, unknown>) => {
    const created = await call(developer.token, 'POST', '/v1/cases', {
      model: { name, version: `1.0-${tag}`, checkpointSha256: randomBytes(32).toString('hex') },
    });
    await call(developer.token, 'PUT', `/v1/cases/${created.id}/assessment`, assessment);
    return created.id as string;
  };
  const submitted = async (name: string, assessment = lowTierAssessment()) => {
    const id = await newCase(name, assessment);
    await fire(developer, id, 'SUBMIT');
    await waitUntil(`${name} through intake`, async () => (await state(id)) !== 'intake');
    return id;
  };
  const approve = async (who: { token: string }, id: string) => {
    const { revisionHash } = await call(who.token, 'GET', `/v1/cases/${id}`);
    return fire(who, id, 'APPROVE', { revisionHash, opinion: 'unmodified', assurance: 'reasonable', conditions: [] });
  };

  await newCase('aurora-draft', lowTierAssessment());
  await submitted('borealis-awaiting');
  const inAudit = await submitted('cirrus-in-audit');
  await fire(regulator, inAudit, 'ASSIGN_AUDITOR', { auditorId: auditor.id });
  await fire(auditor, inAudit, 'ADD_FINDING', { severity: 'minor', title: 'Red-team sample size', detail: 'Explain how 40 participants were chosen.' });
  const changes = await submitted('delta-changes');
  await fire(regulator, changes, 'ASSIGN_AUDITOR', { auditorId: auditor.id });
  await fire(auditor, changes, 'REQUEST_CHANGES', { summary: 'Add the cyber evaluation protocol.' });
  const high = await submitted('equinox-high-tier', highTierAssessment());
  await fire(regulator, high, 'ASSIGN_AUDITOR', { auditorId: auditor.id });
  await fire(regulator, high, 'ASSIGN_AUDITOR', { auditorId: auditor2.id });
  await approve(auditor, high);
  await approve(auditor2, high);
  const released = await submitted('fjord-released');
  await fire(regulator, released, 'ASSIGN_AUDITOR', { auditorId: auditor2.id });
  await approve(auditor2, released);
  await fire(developer, released, 'RECORD_RELEASE', {
    components: [{ component: 'model_parameters', release: 'open', location: 'https://models.example/fjord', sha256: (await call(developer.token, 'GET', `/v1/cases/${released}`)).model.checkpointSha256 }],
  });
  const withdrawn = await newCase('glacier-withdrawn', lowTierAssessment());
  await fire(developer, withdrawn, 'WITHDRAW', { reason: 'superseded by a new checkpoint' });
  // Only one of the pack's four domains evaluated: intake sends it back to draft with its reasons.
  const partial = lowTierAssessment();
  await submitted('halo-intake-failed', { ...partial, evaluations: (partial.evaluations as unknown[]).slice(0, 1) });

  // The worker pushes each checkpoint to the witness: wait until the served one carries its cosignature.
  const witnessName = witnessKey.split('+')[0]!;
  const cosigned = async () => {
    const response = await fetch(`${BASE}/v1/public/log/checkpoint`);
    return response.ok ? await response.text() : '';
  };
  await waitUntil('a checkpoint cosigned by the witness', async () => (await cosigned()).includes(`\n— ${witnessName} `));
  const checkpointSize = (await cosigned()).split('\n')[1];

  const queues = (await fetch(`${BASE}/v1/queues`, { headers: { authorization: `Bearer ${regulator.token}` } }).then((r) => r.json())) as Array<{ name: string; count: number }>;
  const line = (role: string, who: { displayName: string; token: string }) => `  ${role.padEnd(10)} ${who.displayName.padEnd(16)} ${who.token}`;
  process.stdout.write(
    [
      '',
      `Clearance is running at ${BASE}  (API docs: ${BASE}/docs)`,
      `Witness at ${WITNESS}  (verifier key ${witnessKey}; alerts: GET ${BASE}/v1/witness-alerts as a regulator)`,
      `Registry log: checkpoint of size ${checkpointSize} cosigned by ${witnessName}. Verify it offline:`,
      `  curl -s ${BASE}/v1/public/log/checkpoint > checkpoint.txt`,
      `  npx clearance-verify checkpoint checkpoint.txt --log-key '${logKey}' --witness-key '${witnessKey}' --quorum 1`,
      '',
      'Tokens (paste one as the bearer token):',
      `  ${'admin'.padEnd(10)} ${'Administrator'.padEnd(16)} ${ADMIN_TOKEN}`,
      line('developer', developer),
      line('auditor', auditor),
      line('auditor', auditor2),
      line('regulator', regulator),
      '',
      `Queues: ${queues.filter((q) => q.count > 0).map((q) => `${q.name} ${q.count}`).join(', ')}`,
      '',
      `Try: curl -H 'Authorization: Bearer ${regulator.token}' ${BASE}/v1/queues`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
};

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
