import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentUser } from '@app/auth';
import { parseQuery } from '@app/http';
import { Roles, type UserActor } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { redeliveredSchema, webhookDeliveryPageSchema } from './dto/notifications.responses.js';
import { RedeliverWebhookUseCase } from './redeliver-webhook.usecase.js';
import { WebhookDeliveriesQuery, deliveriesQuerySchema } from './webhook-deliveries.query.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/webhook-deliveries')
@AllowRoles(Roles.admin)
export class WebhookDeliveriesController {
  constructor(
    private readonly deliveries: WebhookDeliveriesQuery,
    private readonly redeliverWebhook: RedeliverWebhookUseCase,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'Delivery metadata (target, event type, attempts, last status), never the payload',
    description: 'Admin. Delivery metadata only, never the payload; `status=dead` lists the dead letters. Keyset paginated. A delivered delivery is kept 30 days; pending and dead ones until they are delivered.',
  })
  @ApiQueryFrom(deliveriesQuerySchema)
  @ApiJson(200, webhookDeliveryPageSchema)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: unknown) {
    return this.deliveries.execute(parseQuery(deliveriesQuerySchema, query));
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'redeliverWebhook',
    summary: 'Send a dead letter again, with fresh attempts',
    description: 'Admin. Queues a dead delivery again with fresh attempts: 202; 404 when no dead delivery has that id.',
  })
  @ApiJson(202, redeliveredSchema, 'queued again')
  @ApiProblems(401, 403, 404)
  async redeliver(@Param('id') id: string, @CurrentUser() user: UserActor) {
    return this.redeliverWebhook.execute(user, id);
  }
}
