import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { KEYSETS, Paginator, pageSchema } from '@app/http';
import { WitnessAlertRepository, iso, type WitnessAlertRow } from '@app/persistence';

export const witnessAlertsQuerySchema = z.strictObject({ ...pageSchema });

export const witnessAlertView = (a: WitnessAlertRow) => ({
  id: a.id,
  origin: a.origin,
  kind: a.kind,
  detail: a.detail,
  cosignedSize: Number(a.cosignedSize),
  cosignedCheckpoint: a.cosignedCheckpoint,
  submittedOldSize: Number(a.submittedOldSize),
  submittedCheckpoint: a.submittedCheckpoint,
  submittedProof: a.submittedProof,
  firstSeenAt: iso(a.firstSeenAt),
  lastSeenAt: iso(a.lastSeenAt),
  occurrences: a.occurrences,
});

/** The witness's alerts on the registry log, newest first (regulators). */
@Injectable()
export class WitnessAlertsQuery {
  constructor(
    private readonly alerts: WitnessAlertRepository,
    private readonly paginator: Paginator,
  ) {}

  async execute(q: z.infer<typeof witnessAlertsQuerySchema>) {
    return this.paginator.paginate(q, {
      fingerprint: 'witness-alerts',
      keyset: KEYSETS.timeAndId,
      fetch: (after, limit) => this.alerts.page(after, limit),
      keyOf: (row) => [row.sortKey, row.id],
      view: witnessAlertView,
    });
  }
}
