import { decodeBase64Strict, noteVerifierFromKey, openCheckpoint, verifyConsistency, type Checkpoint } from '@app/tlog';
import type { LedgerEntry, Party } from './soak-client.js';
import { sleep } from './soak-services.js';

/** A JSON GET that must answer 200. */
export const getJson = async (base: string, token: string | null, path: string): Promise<any> => {
  const response = await fetch(`${base}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 300)}`);
  return response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
};

/** Every item of a keyset-paginated list. */
const allItems = async (base: string, token: string, path: string): Promise<any[]> => {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await getJson(base, token, cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor);
  return items;
};

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

const result = (name: string, failures: string[], detail: string): CheckResult => ({
  name,
  ok: failures.length === 0,
  detail: failures.length ? `${failures.length} failed, first: ${failures.slice(0, 3).join('; ')}` : detail,
});

/**
 * What the soak promises, checked through the API once the chaos has stopped: every
 * acknowledged write in history exactly once, a lost one at most once, every chain valid,
 * every due deadline fired exactly once, nothing stuck in intake.
 */
export const checkCases = async (
  base: string,
  regulator: Party,
  developer: Party,
  ledger: LedgerEntry[],
  heldForDeadline: Set<string>,
  deadlineGraceMs: number,
): Promise<CheckResult[]> => {
  const writes: string[] = [];
  const chains: string[] = [];
  const deadlines: string[] = [];
  const stuck: string[] = [];
  let dueDeadlines = 0;

  // Creations: found by their unique model name among the developer's cases.
  const cases = await allItems(base, developer.token, '/v1/cases?limit=100');
  const byModel = new Map<string, number>();
  for (const item of cases) byModel.set(item.model.name, (byModel.get(item.model.name) ?? 0) + 1);
  for (const entry of ledger.filter((e) => e.kind === 'create')) {
    const count = byModel.get(entry.model ?? '') ?? 0;
    if (entry.outcome === 'acked' && count !== 1) writes.push(`acknowledged creation of ${entry.model} is there ${count} times`);
    if (entry.outcome !== 'acked' && count > 1) writes.push(`unacknowledged creation of ${entry.model} is there ${count} times`);
  }

  const caseIds = new Set(cases.map((c) => c.id as string));
  for (const caseId of caseIds) {
    const history = await allItems(base, regulator.token, `/v1/cases/${caseId}/history?limit=100`);
    for (const entry of ledger.filter((e) => e.caseId === caseId && e.kind !== 'create' && e.kind !== 'assessment')) {
      const count = history.filter((row) => row.type === entry.kind).length;
      if (entry.outcome === 'acked' && count !== 1) writes.push(`acknowledged ${entry.kind} of ${caseId} is in history ${count} times`);
      if (entry.outcome !== 'acked' && count > 1) writes.push(`unacknowledged ${entry.kind} of ${caseId} is in history ${count} times`);
    }
    const verification = await getJson(base, regulator.token, `/v1/cases/${caseId}/history/verify`);
    if (!verification.valid) chains.push(`${caseId} breaks at seq ${verification.firstBadSeq}`);

    // A deadline fires at most once, and every one that came due (with the sweep's slack) has fired.
    const fired = new Map<string, number>();
    for (const row of history.filter((r) => r.type === 'DEADLINE_PASSED')) {
      const id = String(row.payload?.deadlineId);
      fired.set(id, (fired.get(id) ?? 0) + 1);
    }
    for (const [id, count] of fired) if (count > 1) deadlines.push(`deadline ${id} of ${caseId} fired ${count} times`);
    const view = await getJson(base, regulator.token, `/v1/cases/${caseId}`);
    for (const deadline of view.deadlines as Array<{ id: string; kind: string; dueAt: string; pausedAt: string | null; escalatedAt: string | null }>) {
      if (deadline.pausedAt || Date.parse(deadline.dueAt) > Date.now() - deadlineGraceMs) continue;
      dueDeadlines++;
      if ((fired.get(deadline.id) ?? 0) !== 1) deadlines.push(`${deadline.kind} deadline ${deadline.id} of ${caseId}, due ${deadline.dueAt}, fired ${fired.get(deadline.id) ?? 0} times`);
    }
    if (view.state === 'intake') stuck.push(`${caseId} is still in intake`);
  }
  const held = [...heldForDeadline].filter((id) => caseIds.has(id)).length;
  const acked = ledger.filter((e) => e.outcome === 'acked').length;
  const lost = ledger.filter((e) => e.outcome === 'lost').length;
  return [
    result('acknowledged writes in history exactly once, lost ones at most once', writes, `${acked} acknowledged, ${lost} lost, 0 duplicated`),
    result('every case chain verifies', chains, `${caseIds.size} cases`),
    result('every due deadline fired exactly once', deadlines, `${dueDeadlines} due (${held} cases held for their assignment deadline)`),
    result('no case stuck in intake', stuck, 'none'),
  ];
};

/** A span of time (performance.now()) when Postgres was down: stopping, stopped or starting. */
export interface Outage {
  from: number;
  to: number;
}

const overlapMs = (from: number, to: number, outages: readonly Outage[]): number =>
  outages.reduce((sum, o) => sum + Math.max(0, Math.min(to, o.to) - Math.max(from, o.from)), 0);

/**
 * Every retry after a lost answer was answered (not "in progress", not 5xx) within `limitMs`, not
 * counting time Postgres was down: no write can be answered then, whatever the api does.
 */
export const checkRecovery = (ledger: LedgerEntry[], limitMs: number, postgresOutages: readonly Outage[]): CheckResult => {
  const recovered = ledger.flatMap(({ lostAt, recoveredAt, ...e }) =>
    lostAt !== null && recoveredAt !== null ? [{ ...e, ms: recoveredAt - lostAt - overlapMs(lostAt, recoveredAt, postgresOutages), raw: recoveredAt - lostAt }] : [],
  );
  const slow = recovered
    .filter((r) => r.ms > limitMs)
    .map((r) => `${r.kind} of ${r.caseId ?? r.model}: ${Math.round(r.ms)} ms (${Math.round(r.raw)} ms with Postgres down)`);
  const never = ledger.filter((e) => e.lostAt !== null && e.recoveredAt === null).map((e) => `${e.kind} of ${e.caseId ?? e.model}: ${e.detail}`);
  const worst = recovered.reduce((max, r) => Math.max(max, r.ms), 0);
  return result(
    `every retry after a lost answer answered within ${limitMs / 1000} s of Postgres being up`,
    [...slow, ...never],
    `${recovered.length} writes lost an answer; slowest recovery ${Math.round(worst)} ms`,
  );
};

/**
 * A fault is the server's state, not a defect: every 5xx the client saw through the chaos was a
 * 503 (the database unreachable, a process shutting down), which says when to come back; a 500
 * `internal` would be an error this code did not expect.
 */
export const checkServerErrors = (serverErrors: ReadonlyMap<string, number>): CheckResult => {
  const counts = [...serverErrors].map(([kind, n]) => `${n} × ${kind}`);
  return result(
    'every 5xx answer was 503',
    counts.filter((c) => !c.includes(' × 503 ')),
    counts.length ? counts.join(', ') : 'no 5xx answer',
  );
};

export const checkRefusals = (ledger: LedgerEntry[]): CheckResult =>
  result(
    'no write refused',
    ledger.filter((e) => e.outcome === 'refused').map((e) => `${e.kind} of ${e.caseId ?? e.model}: ${e.detail}`),
    `${ledger.length} writes`,
  );

/** Polls the log's checkpoint through the chaos, keeping every distinct one it saw. */
export class CheckpointWatcher {
  readonly notes = new Set<string>();
  private stopped = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly apis: () => string[]) {}

  start(): void {
    this.loop = (async () => {
      let turn = 0;
      while (!this.stopped) {
        const apis = this.apis();
        try {
          const response = await fetch(`${apis[turn++ % apis.length]}/v1/public/log/checkpoint`, { signal: AbortSignal.timeout(5000) });
          if (response.status === 200) this.notes.add(await response.text());
        } catch {
          // an api down mid-chaos: the next turn asks the other one
        }
        await sleep(1000);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Each checkpoint signed by the log's key; one root per size; each consistent with the next. */
  async check(base: string): Promise<CheckResult> {
    const failures: string[] = [];
    const verifierKey = String(await getJson(base, null, '/v1/public/log/key')).trim();
    const latest = String(await getJson(base, null, '/v1/public/log/checkpoint'));
    this.notes.add(latest);
    const verifier = noteVerifierFromKey(verifierKey);
    const bySize = new Map<number, Checkpoint>();
    for (const note of this.notes) {
      try {
        const { checkpoint } = openCheckpoint(note, [verifier]);
        const seen = bySize.get(checkpoint.size);
        if (seen && !seen.rootHash.equals(checkpoint.rootHash)) failures.push(`two roots for size ${checkpoint.size}`);
        bySize.set(checkpoint.size, checkpoint);
      } catch (error) {
        failures.push(`a checkpoint does not verify: ${(error as Error).message}`);
      }
    }
    const ordered = [...bySize.values()].sort((a, b) => a.size - b.size);
    for (let i = 1; i < ordered.length; i++) {
      const [from, to] = [ordered[i - 1], ordered[i]];
      const body = await getJson(base, null, `/v1/public/log/consistency?from=${from.size}&to=${to.size}`);
      const proof = (body.proof as string[]).map((line) => decodeBase64Strict(line));
      if (proof.some((hash) => hash === null)) {
        failures.push(`sizes ${from.size} → ${to.size}: a proof hash is not base64`);
        continue;
      }
      if (!verifyConsistency(from.size, to.size, from.rootHash, to.rootHash, proof as Buffer[])) failures.push(`sizes ${from.size} → ${to.size} are not consistent`);
    }
    const sizes = ordered.map((c) => c.size);
    return result('the registry log is consistent across all its checkpoints', failures, `${ordered.length} checkpoints, sizes ${sizes[0] ?? 0} → ${sizes.at(-1) ?? 0}`);
  }
}

/** The outbox backlog from /metrics (admin token): waits for it to drain. */
export const checkOutboxDrains = async (base: string, adminToken: string, timeoutMs: number): Promise<CheckResult> => {
  const deadline = Date.now() + timeoutMs;
  let backlog = Number.NaN;
  while (Date.now() < deadline) {
    const metrics = String(await getJson(base, adminToken, '/metrics'));
    const line = metrics.split('\n').find((l) => l.startsWith('clearance_outbox_backlog '));
    backlog = Number(line?.split(' ')[1]);
    if (backlog === 0) break;
    await sleep(500);
  }
  return result('the outbox is empty', backlog === 0 ? [] : [`backlog ${backlog} after ${timeoutMs / 1000} s`], 'backlog 0');
};
