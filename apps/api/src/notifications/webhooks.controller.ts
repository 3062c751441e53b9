import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { AllowRoles, CurrentUser } from '@app/auth';
import { parseQuery } from '@app/cases';
import { WebhookTargetError, WebhookTargetService, generateWebhookSecret } from '@app/notifications';
import { WebhookRepository, iso, type WebhookRow } from '@app/persistence';
import { notFound, validationFailed } from '@app/problems';
import { EVENT_TYPES, Roles, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, openApiSchema } from '../common/openapi.decorators.js';
import { createdWebhookSchema, webhookListSchema } from './dto/notifications.responses.js';

const createWebhookSchema = z.strictObject({
  url: z.string().min(1).max(2000),
  events: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).optional(),
});

const view = (hook: WebhookRow) => ({ id: hook.id, url: hook.url, events: hook.events, createdAt: iso(hook.createdAt) });

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
@AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly targets: WebhookTargetService,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createWebhook',
    summary: 'Register a webhook for your organisation; the secret is shown once',
    description: 'Developers, auditors and regulators, for their own organisation. Deliveries follow Standard Webhooks, signed with the returned `secret` (`whsec_…`), which is shown only here. Targets on private, loopback or link-local addresses are 400 unless the deployment allows them; `events` narrows what is delivered (default every event).',
  })
  @ApiBody({ schema: openApiSchema(createWebhookSchema, 'input') })
  @ApiJson(201, createdWebhookSchema, 'the webhook and its signing secret, shown once')
  @ApiProblems(400, 401, 403, 413)
  async create(@Body() body: unknown, @CurrentUser() user: UserActor) {
    const input = parseQuery(createWebhookSchema, body);
    try {
      await this.targets.resolve(this.targets.parse(input.url));
    } catch (error) {
      if (error instanceof WebhookTargetError) throw validationFailed([{ path: '$.url', message: error.message }]);
      throw validationFailed([{ path: '$.url', message: 'the host does not resolve' }]);
    }
    const secret = generateWebhookSecret();
    const hook = await this.webhooks.create({
      organisationId: user.organisationId,
      createdBy: user.id,
      url: input.url,
      events: input.events ?? null,
      secret,
    });
    return { id: hook.id, url: hook.url, secret };
  }

  @Get()
  @ApiOperation({
    operationId: 'listWebhooks',
    summary: 'Your organisation’s webhooks',
    description: 'Developers, auditors and regulators: the webhooks of the caller\'s organisation, never their secrets. One page: `nextCursor` is always null.',
  })
  @ApiJson(200, webhookListSchema)
  @ApiProblems(401, 403)
  async list(@CurrentUser() user: UserActor) {
    return { items: (await this.webhooks.listForOrganisation(user.organisationId)).map(view), nextCursor: null };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteWebhook',
    summary: 'Stop deliveries to one of your organisation’s webhooks',
    description: 'Developers, auditors and regulators. 204; 404 when the webhook is not the caller\'s organisation\'s.',
  })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiProblems(401, 403, 404)
  async remove(@Param('id') id: string, @CurrentUser() user: UserActor): Promise<void> {
    if (!z.uuid().safeParse(id).success || !(await this.webhooks.delete(id, user.organisationId))) throw notFound('no such webhook');
  }
}
