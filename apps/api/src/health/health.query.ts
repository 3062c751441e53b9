import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { pingDatabase } from '@app/persistence';
import { REDIS } from '@app/queue';
import { within } from '@app/http';

/** Whether Postgres and Redis each answer within two seconds. */
@Injectable()
export class HealthQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async execute() {
    const [postgres, redis] = await Promise.all([
      within(pingDatabase(this.dataSource), 2000).then(() => 'up' as const, () => 'down' as const),
      within(this.redis.ping(), 2000).then(() => 'up' as const, () => 'down' as const),
    ]);
    return { postgres, redis };
  }
}
