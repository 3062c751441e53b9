import { Injectable, Logger } from '@nestjs/common';
import { WitnessAlertRepository } from '@app/persistence';

/** Alerts read per sweep; more wait for the next one. */
const SWEEP_LIMIT = 100;

/**
 * Tells regulators of every alert the witness raised (a fork, a shrink or an inconsistent proof of
 * the registry log): a WITNESS_ALERT notice in each regulator's inbox, once per alert, whichever
 * worker gets there first. The alert itself, with its evidence, is at GET /v1/witness-alerts.
 */
@Injectable()
export class WitnessAlertNoticeService {
  private readonly logger = new Logger(WitnessAlertNoticeService.name);

  constructor(private readonly alerts: WitnessAlertRepository) {}

  /** Notices the alerts not noticed yet; returns how many inbox notices were written. */
  async noticeNew(): Promise<number> {
    let written = 0;
    for (const alert of await this.alerts.unnoticed(SWEEP_LIMIT)) {
      const reason = `the witness refused to cosign the registry log ${alert.origin} (${alert.kind}): ${alert.detail}; see GET /v1/witness-alerts`;
      const notices = await this.alerts.noticeToRegulators(alert.id, reason);
      if (notices > 0) this.logger.warn({ alertId: alert.id, kind: alert.kind, origin: alert.origin, regulators: notices }, 'witness alert sent to regulators');
      written += notices;
    }
    return written;
  }
}
