import { randomUUID } from 'node:crypto';
import { expectOk, lowTierAssessment, sha256Of, waitFor, type HttpClient, type OkBody } from '@app/testing';
import type { Member, World } from './world.js';

export { expectOk };

export type CaseView = OkBody<'/v1/cases/{id}'>;
export type CaseState = CaseView['state'];
export type HistoryItem = OkBody<'/v1/cases/{id}/history'>['items'][number];

/** Steps of a case lifecycle over HTTP, for the e2e suites and the bench. */
export class CaseDriver {
  constructor(private readonly world: World) {}

  async create(
    developer: Member = this.world.developer,
    assessment = lowTierAssessment(),
    extra: Record<string, unknown> = {},
    policyPack?: string,
  ) {
    const created = expectOk(
      await developer.http.post('/v1/cases', {
        model: { name: `model-${randomUUID().slice(0, 8)}`, version: '1.0', checkpointSha256: sha256Of('weights'), ...extra },
        ...(policyPack ? { policyPack } : {}),
      }),
      'create case',
    );
    expectOk(await developer.http.put(`/v1/cases/${created.id}/assessment`, assessment), 'put assessment');
    return created.id as string;
  }

  /** Publishes a copy of caip-2025@1 with these deadlines (e.g. `{ assignment: 'PT1S' }`); returns its `id@version`. */
  async publishPack(deadlines: Record<string, string>, title = 'short clocks for tests'): Promise<string> {
    const base = expectOk(await this.world.developer.http.get('/v1/policy-packs/caip-2025/versions/1'), 'read caip-2025');
    const id = `clock-${randomUUID().slice(0, 8)}`;
    expectOk(
      await this.world.admin.post('/v1/admin/policy-packs', {
        id,
        version: '1',
        title,
        domains: base.domains,
        cannotRuleOutCountsAs: base.cannotRuleOutCountsAs,
        tiers: base.tiers,
        deadlines: { ...base.deadlines, ...deadlines },
      }),
      'publish pack',
    );
    return `${id}@1`;
  }

  fire(actor: Member, caseId: string, type: string, payload: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    return actor.http.post(`/v1/cases/${caseId}/events`, { type, ...payload }, headers);
  }

  async fireOk(actor: Member, caseId: string, type: string, payload: Record<string, unknown> = {}) {
    return expectOk(await this.fire(actor, caseId, type, payload), type);
  }

  get(http: HttpClient, caseId: string) {
    return http.get(`/v1/cases/${caseId}`);
  }

  /** Waits for the worker to move the case into one of these states. */
  async waitForState(caseId: string, states: CaseState[], timeoutMs = 15_000): Promise<CaseView> {
    return waitFor(
      async () => expectOk(await this.get(this.world.regulator.http, caseId), 'read case'),
      (view) => states.includes(view.state),
      { timeoutMs, what: `case ${caseId} in ${states.join('|')}` },
    );
  }

  /** Submits and waits for intake to pass. */
  async submitThroughIntake(caseId: string, timeoutMs = 15_000) {
    await this.fireOk(this.world.developer, caseId, 'SUBMIT');
    return this.waitForState(caseId, ['awaiting_assignment', 'in_audit', 'draft'], timeoutMs);
  }

  async approve(auditor: Member, caseId: string, extra: Record<string, unknown> = {}) {
    const current = expectOk(await this.get(auditor.http, caseId));
    return this.fireOk(auditor, caseId, 'APPROVE', {
      revisionHash: current.revisionHash,
      opinion: 'unmodified',
      assurance: 'reasonable',
      conditions: [],
      ...extra,
    });
  }

  /** Creates a case, submits it through intake and assigns these auditors: the case is in_audit. */
  async inAudit(auditors: Member[] = [this.world.auditorA], assessment = lowTierAssessment(), developer: Member = this.world.developer) {
    const caseId = await this.create(developer, assessment);
    expectOk(await this.fire(developer, caseId, 'SUBMIT'), 'SUBMIT');
    await this.waitForState(caseId, ['awaiting_assignment']);
    for (const auditor of auditors) await this.fireOk(this.world.regulator, caseId, 'ASSIGN_AUDITOR', { auditorId: auditor.id });
    const view = expectOk(await this.get(this.world.regulator.http, caseId));
    if (view.state !== 'in_audit') throw new Error(`expected in_audit, got ${view.state}`);
    return caseId;
  }

  /** The whole history, as the regulator reads it. */
  async history(caseId: string, http: HttpClient = this.world.regulator.http): Promise<HistoryItem[]> {
    return expectOk(await http.get(`/v1/cases/${caseId}/history?limit=200`), 'history').items;
  }

  /**
   * The ids of every case in the overdue queue, page after page: the suites share one database, and
   * the queue is in due order, so a case whose deadline fell due last may be past the first page.
   */
  async overdueQueue(): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: OkBody<'/v1/queues/{name}'> = expectOk(await this.world.regulator.http.get(`/v1/queues/overdue?${query}`), 'overdue queue');
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }
}
