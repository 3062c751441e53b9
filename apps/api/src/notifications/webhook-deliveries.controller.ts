import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AllowRoles } from '@app/auth';
import { decodeCursor, encodeCursor, pageSchema, parseQuery } from '@app/cases';
import { OutboxRepository, WebhookRepository, iso } from '@app/persistence';
import { notFound } from '@app/problems';
import { OutboxKinds } from '@app/queue';
import { Roles } from '@app/workflow';
import { ApiJson, ApiProblems, ApiQueryFrom } from '../common/openapi.decorators.js';
import { redeliveredSchema, webhookDeliveryPageSchema } from './dto/notifications.responses.js';

const deliveriesQuerySchema = z.strictObject({ ...pageSchema, status: z.enum(['pending', 'delivered', 'dead']).optional() });

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/webhook-deliveries')
@AllowRoles(Roles.admin)
export class WebhookDeliveriesController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: 'Delivery metadata (target, event type, attempts, last status), never the payload',
    description: 'Admin. Delivery metadata only, never the payload; `status=dead` lists the dead letters. Keyset paginated.',
  })
  @ApiQueryFrom(deliveriesQuerySchema)
  @ApiJson(200, webhookDeliveryPageSchema)
  @ApiProblems(400, 401, 403)
  async list(@Query() query: unknown) {
    const q = parseQuery(deliveriesQuerySchema, query);
    const fingerprint = `deliveries:${q.status ?? ''}`;
    const after = decodeCursor(q.cursor, fingerprint) as [string, string] | null;
    const rows = await this.webhooks.listDeliveries(q.status, after, q.limit + 1);
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items: items.map(({ sortKey: _sortKey, createdAt, deliveredAt, ...meta }: Record<string, unknown>) => ({
        ...meta,
        createdAt: iso(createdAt as Date),
        deliveredAt: iso(deliveredAt as Date | null),
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(fingerprint, [last.sortKey, last.id]) : null,
    };
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
  async redeliver(@Param('id') id: string) {
    if (!z.uuid().safeParse(id).success) throw notFound('no such dead delivery');
    const revived = await this.dataSource.transaction(async (db) => {
      if (!(await this.webhooks.revive(id, db))) return false;
      await this.outbox.add([{ caseId: null, kind: OutboxKinds.webhookDelivery, payload: { deliveryId: id } }], db);
      return true;
    });
    if (!revived) throw notFound('no such dead delivery');
    return { id, status: 'pending' };
  }
}
