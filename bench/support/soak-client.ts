import { randomUUID } from 'node:crypto';
import { lowTierAssessment, sha256Of } from '@app/testing';
import { sleep } from './soak-services.js';

/** The writes of one lifecycle, in order; an event type is fired once per case, so history holds each at most once. */
export type WriteKind = 'create' | 'assessment' | 'SUBMIT' | 'ASSIGN_AUDITOR' | 'APPROVE' | 'RECORD_RELEASE';

/**
 * What the client knows of one write. `acked`: a 2xx arrived (maybe on a retry); `lost`: the
 * client gave up without one; `refused`: a 4xx that is not "try again" (a defect unless explained).
 */
export interface LedgerEntry {
  lifecycle: number;
  caseId: string | null;
  kind: WriteKind;
  idempotencyKey: string;
  outcome: 'acked' | 'lost' | 'refused';
  attempts: number;
  /** When (performance.now()) the first attempt was left without an answer (its api died or the connection broke). */
  lostAt: number | null;
  /** When the first real answer after it came (not "in progress", not 5xx or 429). */
  recoveredAt: number | null;
  /** Longest a retry was told 409 idempotency-in-progress, in ms from the first attempt. */
  inProgressMs: number;
  detail: string;
  /** For a creation: the model name, unique per write, by which the case is found. */
  model?: string;
}

export interface Party {
  id: string;
  token: string;
}

export interface Cast {
  developer: Party;
  auditor: Party;
  regulator: Party;
}

const CHECKPOINT_SHA256 = sha256Of('soak weights');
const ATTEMPT_TIMEOUT_MS = 10_000;
const GIVE_UP_MS = 90_000;

interface Answer {
  status: number;
  body: any;
}

const inProgress = (answer: Answer) => answer.status === 409 && String(answer.body?.type).endsWith('/idempotency-in-progress');
/** Answers that say "not now" rather than "no": the same write is sent again. */
const retryable = (answer: Answer) => answer.status >= 500 || answer.status === 429 || inProgress(answer);

/**
 * An open-loop client: writes start at a fixed rate whatever the answers take, each lifecycle
 * moving one step per write, spread over every api process. A write without an answer or with
 * a 5xx, 429 or 409 idempotency-in-progress is retried with the same Idempotency-Key on the
 * next api, so a write is applied at most once and, once acknowledged, exactly once.
 */
export class SoakClient {
  readonly ledger: LedgerEntry[] = [];
  readonly caseIds = new Set<string>();
  /** Cases left waiting for assignment, so that their assignment deadline comes due. */
  readonly heldForDeadline = new Set<string>();
  /** Every 5xx answer, reads and writes, counted by status and problem type (`503 /problems/unavailable`). */
  readonly serverErrors = new Map<string, number>();
  private next = 0;
  private lifecycles = 0;
  private inFlight = 0;
  private readonly pending: Array<() => Promise<void>> = [];

  constructor(
    private readonly apis: () => string[],
    private readonly cast: Cast,
    private readonly packRef: string,
  ) {}

  get started(): number {
    return this.lifecycles;
  }

  /** Starts `rate` writes a second until `until`, then waits for every write in flight. */
  async run(rate: number, until: () => boolean): Promise<void> {
    const interval = 1000 / rate;
    const running = new Set<Promise<void>>();
    let tick = performance.now();
    while (!until()) {
      const step = this.pending.shift() ?? (() => this.lifecycle());
      const task = step().finally(() => running.delete(task));
      running.add(task);
      tick += interval;
      await sleep(Math.max(0, tick - performance.now()));
    }
    // Lifecycles queued but not started simply stop; those in flight finish their current write.
    this.pending.length = 0;
    await Promise.all(running);
  }

  get writesInFlight(): number {
    return this.inFlight;
  }

  /** The first write of a lifecycle; each acknowledged write queues the next. */
  private async lifecycle(): Promise<void> {
    const lifecycle = ++this.lifecycles;
    const { developer, auditor, regulator } = this.cast;
    const model = { name: `soak-${randomUUID()}`, version: '1.0', checkpointSha256: CHECKPOINT_SHA256 };
    const created = await this.write(lifecycle, null, 'create', developer, 'POST', '/v1/cases', { model, policyPack: this.packRef }, model.name);
    if (!created) return;
    const caseId: string = created.id;
    this.caseIds.add(caseId);
    const then = (step: () => Promise<void>) => void this.pending.push(step);
    then(async () => {
      if (!(await this.write(lifecycle, caseId, 'assessment', developer, 'PUT', `/v1/cases/${caseId}/assessment`, lowTierAssessment()))) return;
      then(async () => {
        if (!(await this.write(lifecycle, caseId, 'SUBMIT', developer, 'POST', `/v1/cases/${caseId}/events`, { type: 'SUBMIT' }))) return;
        // Every fifth case waits for assignment past its deadline; the rest move on once intake has passed.
        if (lifecycle % 5 === 0) {
          this.heldForDeadline.add(caseId);
          return;
        }
        then(() => this.afterIntake(lifecycle, caseId, auditor, regulator, developer));
      });
    });
  }

  private async afterIntake(lifecycle: number, caseId: string, auditor: Party, regulator: Party, developer: Party): Promise<void> {
    const view = await this.read(regulator, `/v1/cases/${caseId}`);
    if (view?.state === 'intake' || view === null) {
      // Not yet through intake (or no api answered): look again later, never a write.
      this.pending.push(() => this.afterIntake(lifecycle, caseId, auditor, regulator, developer));
      return;
    }
    if (view.state !== 'awaiting_assignment') return this.note(lifecycle, caseId, `unexpected state ${view.state} after intake`);
    if (!(await this.write(lifecycle, caseId, 'ASSIGN_AUDITOR', regulator, 'POST', `/v1/cases/${caseId}/events`, { type: 'ASSIGN_AUDITOR', auditorId: auditor.id })))
      return;
    this.pending.push(async () => {
      const approve = { type: 'APPROVE', revisionHash: view.revisionHash, opinion: 'unmodified', assurance: 'reasonable', conditions: [] };
      if (!(await this.write(lifecycle, caseId, 'APPROVE', auditor, 'POST', `/v1/cases/${caseId}/events`, approve))) return;
      this.pending.push(async () => {
        const components = [{ component: 'model_parameters', release: 'open', location: 'https://example.org/weights', sha256: CHECKPOINT_SHA256 }];
        await this.write(lifecycle, caseId, 'RECORD_RELEASE', developer, 'POST', `/v1/cases/${caseId}/events`, { type: 'RECORD_RELEASE', components });
      });
    });
  }

  private note(lifecycle: number, caseId: string, detail: string): void {
    this.ledger.push({
      lifecycle,
      caseId,
      kind: 'SUBMIT',
      idempotencyKey: '',
      outcome: 'refused',
      attempts: 0,
      lostAt: null,
      recoveredAt: null,
      inProgressMs: 0,
      detail,
    });
  }

  /** A read on any api that answers; null when none did within a few tries. */
  private async read(party: Party, path: string): Promise<any> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await this.attempt(party, 'GET', path, undefined, undefined);
      if (answer && answer !== 'unreached' && answer.status === 200) return answer.body;
      await sleep(200);
    }
    return null;
  }

  /** One write, retried until a real answer; its ledger entry says what the client learned. */
  private async write(
    lifecycle: number,
    caseId: string | null,
    kind: WriteKind,
    party: Party,
    method: 'POST' | 'PUT',
    path: string,
    body: unknown,
    model?: string,
  ) {
    const entry: LedgerEntry = {
      model,
      lifecycle,
      caseId,
      kind,
      idempotencyKey: randomUUID(),
      outcome: 'lost',
      attempts: 0,
      lostAt: null,
      recoveredAt: null,
      inProgressMs: 0,
      detail: '',
    };
    this.ledger.push(entry);
    this.inFlight++;
    const started = performance.now();
    try {
      while (performance.now() - started < GIVE_UP_MS) {
        entry.attempts++;
        const answer = await this.attempt(party, method, path, body, method === 'POST' ? entry.idempotencyKey : undefined);
        // Nobody listened: try the next api at once.
        if (answer === 'unreached') {
          await sleep(50);
          continue;
        }
        if (answer === null) entry.lostAt ??= performance.now();
        else if (entry.lostAt !== null && entry.recoveredAt === null && !retryable(answer)) entry.recoveredAt = performance.now();
        if (answer && answer.status >= 200 && answer.status < 300) {
          entry.outcome = 'acked';
          return answer.body;
        }
        if (answer && inProgress(answer)) entry.inProgressMs = performance.now() - started;
        if (answer && !retryable(answer)) {
          entry.outcome = 'refused';
          entry.detail = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
          return null;
        }
        await sleep(250);
      }
      entry.detail = `no 2xx within ${GIVE_UP_MS} ms`;
      return null;
    } finally {
      this.inFlight--;
    }
  }

  /**
   * One HTTP attempt on the next api; `unreached` when no api listened there (the request was
   * never sent, so nothing can have been applied), null when the answer was lost on the way.
   */
  private async attempt(
    party: Party,
    method: string,
    path: string,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Answer | 'unreached' | null> {
    const apis = this.apis();
    const base = apis[this.next++ % apis.length];
    const headers: Record<string, string> = { authorization: `Bearer ${party.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    try {
      const response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // a non-JSON answer is kept as text
      }
      if (response.status >= 500) {
        const kind = `${response.status} ${(parsed as { type?: unknown } | null)?.type ?? 'without a problem type'}`;
        this.serverErrors.set(kind, (this.serverErrors.get(kind) ?? 0) + 1);
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' ? 'unreached' : null;
    }
  }
}
