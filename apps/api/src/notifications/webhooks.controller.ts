import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentUser } from '@app/auth';
import { parseBody } from '@app/http';
import { Roles, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, openApiSchema } from '../common/openapi.decorators.js';
import { DeleteWebhookUseCase } from './delete-webhook.usecase.js';
import { createdWebhookSchema, webhookListSchema } from './dto/notifications.responses.js';
import { MAX_WEBHOOKS_PER_ORGANISATION, RegisterWebhookUseCase, createWebhookSchema } from './register-webhook.usecase.js';
import { WebhooksQuery } from './webhooks.query.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
@AllowRoles(Roles.developer, Roles.auditor, Roles.regulator)
export class WebhooksController {
  constructor(
    private readonly registerWebhook: RegisterWebhookUseCase,
    private readonly webhooks: WebhooksQuery,
    private readonly deleteWebhook: DeleteWebhookUseCase,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createWebhook',
    summary: 'Register a webhook for your organisation; the secret is shown once',
    description: `Developers, auditors and regulators, for their own organisation. Deliveries follow Standard Webhooks, signed with the returned \`secret\` (\`whsec_…\`), which is shown only here. Targets on private, loopback or link-local addresses are 400 unless the deployment allows them; \`events\` narrows what is delivered (default every event). An organisation has at most ${MAX_WEBHOOKS_PER_ORGANISATION} webhooks: past them this is 409 \`too-many-webhooks\` until one is deleted.`,
  })
  @ApiBody({ schema: openApiSchema(createWebhookSchema, 'input') })
  @ApiJson(201, createdWebhookSchema, 'the webhook and its signing secret, shown once')
  @ApiProblems(400, 401, 403, 409, 413)
  async create(@Body() body: unknown, @CurrentUser() user: UserActor) {
    return this.registerWebhook.execute(user, parseBody(createWebhookSchema, body));
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
    return this.webhooks.execute(user);
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
    await this.deleteWebhook.execute(user, id);
  }
}
