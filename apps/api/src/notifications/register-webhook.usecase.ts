import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { WebhookTargetError, WebhookTargetService, generateWebhookSecret } from '@app/notifications';
import { WebhookRepository } from '@app/persistence';
import { tooManyWebhooks, validationFailed } from '@app/problems';
import { HISTORY_EVENT_TYPES, type UserActor } from '@app/workflow';

export const createWebhookSchema = z.strictObject({
  url: z.string().min(1).max(2000),
  events: z.array(z.enum(HISTORY_EVENT_TYPES)).min(1).max(HISTORY_EVENT_TYPES.length).optional(),
});

/**
 * The most live webhooks one organisation has. Every event of its cases is sent to each of them:
 * without a bound one member could make this server send an event to a chosen target thousands
 * of times over.
 */
export const MAX_WEBHOOKS_PER_ORGANISATION = 20;

/** Registers a webhook for the caller's organisation once its target passes the address checks; the secret is shown once. */
@Injectable()
export class RegisterWebhookUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly targets: WebhookTargetService,
  ) {}

  async execute(user: UserActor, input: z.infer<typeof createWebhookSchema>) {
    try {
      await this.targets.resolve(this.targets.parse(input.url));
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      // A resolver's error names its query ("queryA ENOTFOUND …"); the caller needs only its code.
      throw validationFailed([{ path: '$.url', message: error instanceof WebhookTargetError || !code ? message : `the host does not resolve (${code})` }]);
    }
    const secret = generateWebhookSecret();
    const hook = await this.dataSource.transaction((db) =>
      this.webhooks.createWithinLimit(
        { organisationId: user.organisationId, createdBy: user.id, url: input.url, events: input.events ?? null, secret },
        MAX_WEBHOOKS_PER_ORGANISATION,
        db,
      ),
    );
    if (!hook) throw tooManyWebhooks(MAX_WEBHOOKS_PER_ORGANISATION);
    return { id: hook.id, url: hook.url, secret };
  }
}
