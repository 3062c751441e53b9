/**
 * `npm run seed:scale -- --cases=1000000`: migrates the database of DATABASE_URL, then fills it
 * with 200 developer organisations, 40 audit firms, three regulators and the given number of
 * cases in a realistic mix of states, each with a valid hash-chained history. Rows go in by
 * COPY (one per table per batch) while the next batch is planned; see BulkSeedRepository for
 * the triggers and foreign-key checks a superuser's seed defers, and how it makes up for them.
 * Writes every seeded user's token to `--tokens=` (default seed-scale-tokens.json) so a bench
 * can act as them. Options: --cases, --batch (cases per batch), --seed, --tokens.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { generateToken, hashToken } from '@app/auth';
import { GENESIS_HASH } from '@app/integrity';
import { MIGRATIONS } from '@app/migrations';
import { BulkSeedRepository, migrateDatabase, type ColumnBatch } from '@app/persistence';
import { SHIPPED_POLICY_PACKS } from '@app/policy';
import { WORKFLOW_VERSION, isFinalState } from '@app/workflow';
import { planCase, seededRandom, type SeedUser, type SeedWorld } from './seed/scale-plan.js';

const option = (name: string, fallback: string): string => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
};

const DEVELOPER_ORGS = 200;
const AUDIT_FIRMS = 40;
const DEVELOPERS_PER_ORG = 3;
const AUDITORS_PER_FIRM = 5;
const REGULATORS = 3;

const cases = Number(option('cases', '10000'));
const batchSize = Number(option('batch', '2000'));
const seed = Number(option('seed', '20261130'));
const tokensPath = option('tokens', 'seed-scale-tokens.json');
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL names the database to seed');
if (!Number.isInteger(cases) || cases < 1) throw new Error('--cases must be a positive integer');

const log = (line: string) => process.stdout.write(`${line}\n`);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const main = async () => {
  const started = Date.now();
  log(`seed:scale: migrating ${new URL(databaseUrl).pathname.slice(1)}`);
  await migrateDatabase(databaseUrl, MIGRATIONS);
  // Three connections: the planner keeps one batch in flight while it plans the next.
  const repo = await BulkSeedRepository.connect(databaseUrl, 3);
  log(`seed:scale: per-row triggers ${repo.triggersOff ? 'off (foreign keys verified at the end)' : 'on (not a superuser)'}`);
  try {
    for (const pack of SHIPPED_POLICY_PACKS) await repo.publishPolicyPack(pack.id, pack.version, pack);
    const pack = SHIPPED_POLICY_PACKS[0]!;
    const tag = randomBytes(3).toString('hex');

    // Organisations, users and their tokens.
    const orgs = BulkSeedRepository.batch('organisations');
    const users = BulkSeedRepository.batch('users');
    const tokens = BulkSeedRepository.batch('api_tokens');
    const expires = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const issued: Array<SeedUser & { email: string; token: string }> = [];
    const addOrg = (name: string, kind: string) => {
      const id = randomUUID();
      orgs.id!.push(id);
      orgs.name!.push(name);
      orgs.kind!.push(kind);
      return id;
    };
    const addUser = (organisationId: string, role: SeedUser['role'], n: number): SeedUser => {
      const id = randomUUID();
      const email = `${role}.${n}+${tag}@scale.clearance`;
      const token = generateToken();
      users.id!.push(id);
      users.email!.push(email);
      users.display_name!.push(`${role} ${n}`);
      users.organisation_id!.push(organisationId);
      users.role!.push(role);
      tokens.user_id!.push(id);
      tokens.token_hash!.push(hashToken(token));
      tokens.label!.push('seed:scale');
      tokens.expires_at!.push(expires);
      issued.push({ id, role, organisationId, email, token });
      return { id, role, organisationId };
    };
    let n = 0;
    const world: SeedWorld = {
      developers: Array.from({ length: DEVELOPER_ORGS }, (_, o) => {
        const org = addOrg(`Developer ${o} (${tag})`, 'developer');
        return Array.from({ length: DEVELOPERS_PER_ORG }, () => addUser(org, 'developer', n++));
      }),
      auditors: Array.from({ length: AUDIT_FIRMS }, (_, f) => {
        const org = addOrg(`Audit firm ${f} (${tag})`, 'audit_firm');
        return Array.from({ length: AUDITORS_PER_FIRM }, () => addUser(org, 'auditor', n++));
      }),
      regulators: [],
    };
    const regulatorOrg = addOrg(`Regulator (${tag})`, 'regulator');
    for (let r = 0; r < REGULATORS; r++) world.regulators.push(addUser(regulatorOrg, 'regulator', n++));
    await repo.insert('organisations', orgs);
    await repo.insert('users', users);
    await repo.insert('api_tokens', tokens);
    writeFileSync(tokensPath, `${JSON.stringify({ tag, users: issued }, null, 2)}\n`, { mode: 0o600 });
    log(`seed:scale: ${DEVELOPER_ORGS} developer organisations, ${AUDIT_FIRMS} audit firms, ${issued.length} users; tokens in ${tokensPath}`);
    log(`  regulator token: ${issued.find((u) => u.role === 'regulator')!.token}`);

    // Cases, in batches: plan batch k+1 while batch k is written.
    const random = seededRandom(seed);
    const now = Date.now();
    let done = 0;
    let rows = 0;
    let lastReport = 0;
    let inFlight: Promise<void> = Promise.resolve();
    const report = (force = false) => {
      const t = Date.now();
      if (!force && t - lastReport < 2000) return;
      lastReport = t;
      const seconds = (t - started) / 1000;
      const rate = done / seconds;
      const eta = rate > 0 ? Math.round((cases - done) / rate) : 0;
      log(
        `  ${done}/${cases} cases (${((100 * done) / cases).toFixed(1)} %) · ${Math.round(rate)} cases/s · ${Math.round(rows / seconds)} rows/s · ` +
          `${seconds.toFixed(0)} s elapsed, eta ${eta} s`,
      );
    };
    for (let first = 0; first < cases; first += batchSize) {
      const count = Math.min(batchSize, cases - first);
      const b = {
        models: BulkSeedRepository.batch('model_versions'),
        cases: BulkSeedRepository.batch('cases'),
        events: BulkSeedRepository.batch('case_events'),
        revisions: BulkSeedRepository.batch('revisions'),
        assignments: BulkSeedRepository.batch('assignments'),
        deadlines: BulkSeedRepository.batch('deadlines'),
        heads: BulkSeedRepository.batch('case_heads_changes'),
      };
      const push = (batch: ColumnBatch, row: Record<string, unknown>) => {
        for (const [k, v] of Object.entries(row)) batch[k]!.push(v);
      };
      for (let i = first; i < first + count; i++) {
        const c = planCase(random, world, i, now, tag);
        push(b.models, { id: c.modelVersionId, developer_organisation_id: c.developerOrganisationId, name: c.modelName, version: c.modelVersion, created_at: iso(c.createdAt) });
        push(b.cases, {
          id: c.id,
          model_version_id: c.modelVersionId,
          developer_organisation_id: c.developerOrganisationId,
          state: c.state,
          is_final: isFinalState(c.state),
          workflow_version: WORKFLOW_VERSION,
          policy_pack_id: pack.id,
          policy_pack_version: pack.version,
          context: JSON.stringify(c.context),
          version: c.version,
          revision: c.revision,
          revision_hash: c.revisionHash,
          tier: c.tier,
          assessment: JSON.stringify(c.assessment),
          released_at: iso(c.releasedAt),
          created_by: c.createdBy,
          created_at: iso(c.createdAt),
          state_entered_at: iso(c.stateEnteredAt),
          head_hash: c.events.at(-1)?.hash ?? GENESIS_HASH,
          last_seq: c.events.length,
        });
        // What the heads-queue trigger would leave once the heads job keeps only the newest per case.
        if (repo.triggersOff) push(b.heads, { case_id: c.id, seq: c.events.length, hash: c.events.at(-1)?.hash ?? GENESIS_HASH });
        for (const e of c.events)
          push(b.events, {
            case_id: c.id,
            seq: e.seq,
            type: e.type,
            actor: JSON.stringify(e.actor),
            from_state: e.fromState,
            to_state: e.toState,
            at: e.at,
            payload: JSON.stringify(e.payload),
            prev_hash: e.prevHash,
            hash: e.hash,
          });
        for (const r of c.revisions)
          push(b.revisions, {
            case_id: c.id,
            number: r.number,
            hash: r.hash,
            assessment: JSON.stringify(r.assessment),
            evidence_ids: '{}',
            evidence_sha256: '{}',
            tier: c.tier,
            submitted_by: r.submittedBy,
            submitted_at: iso(r.submittedAt),
          });
        for (const a of c.assignments)
          push(b.assignments, {
            case_id: c.id,
            auditor_id: a.auditorId,
            audit_firm_id: a.auditFirmId,
            assigned_at: iso(a.assignedAt),
            case_created_at: iso(c.createdAt),
          });
        for (const d of c.deadlines)
          push(b.deadlines, {
            case_id: c.id,
            kind: d.kind,
            opened_at: iso(d.openedAt),
            due_at: iso(d.dueAt),
            escalated_at: iso(d.escalatedAt),
            fired_at: iso(d.firedAt),
            closed_at: iso(d.closedAt),
            case_created_at: iso(c.createdAt),
            developer_organisation_id: c.developerOrganisationId,
          });
      }
      await inFlight;
      inFlight = (async () => {
        rows += await repo.insert('model_versions', b.models);
        rows += await repo.insert('cases', b.cases);
        const written = await Promise.all([
          repo.insert('case_events', b.events),
          repo.insert('revisions', b.revisions),
          repo.insert('assignments', b.assignments).then(async (x) => x + (await repo.insert('deadlines', b.deadlines))),
          repo.insert('case_heads_changes', b.heads),
        ]);
        rows += written.reduce((sum, x) => sum + x, 0);
        done += count;
        report();
      })();
    }
    await inFlight;
    report(true);
    if (repo.triggersOff) {
      log('seed:scale: verifying foreign keys');
      const broken = await repo.verifyForeignKeys();
      if (broken.length) throw new Error(`rows break foreign keys: ${broken.map((b) => `${b.constraint} (${b.violations})`).join(', ')}`);
    }
    log('seed:scale: VACUUM ANALYZE');
    await repo.vacuumAnalyze();
    log(`seed:scale: done in ${((Date.now() - started) / 1000).toFixed(0)} s, ${rows} rows; cases by state:`);
    for (const { state, count } of await repo.stateCounts()) log(`  ${state.padEnd(22)} ${count}`);
  } finally {
    await repo.close();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`seed:scale failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
