import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WitnessAlertNoticeService } from '@app/notifications';
import { LogWitnessingService } from '@app/registry';

/** How often the worker looks for witness alerts no regulator was told of. */
export const WITNESS_ALERT_SWEEP_MS = 2_000;

/**
 * The worker's side of the witness: sends each checkpoint it signs to the witnesses (in the
 * background), and tells regulators of every witness alert, at once when one of its witnesses
 * refuses a checkpoint and on a short clock for alerts raised on anyone else's submission.
 */
@Injectable()
export class WitnessingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WitnessingService.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly witnessing: LogWitnessingService,
    private readonly notices: WitnessAlertNoticeService,
  ) {}

  onApplicationBootstrap(): void {
    this.witnessing.onRefused(() => this.sweep());
    this.witnessing.start();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweep();
      this.schedule();
    }, WITNESS_ALERT_SWEEP_MS);
  }

  /** One sweep at a time; a sweep asked for while one runs follows it. */
  private sweep(): void {
    this.sweeping = this.sweeping
      .then(() => this.notices.noticeNew())
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error }, 'witness alert notices failed'),
      );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
  }
}
