import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Inject } from '@nestjs/common';
import { SHIPPED_POLICY_PACKS, parseIsoDuration, type PolicyPack } from '@app/policy';
import { PolicyPackRepository, type Db } from '@app/persistence';
import type { DeadlineKind } from '@app/workflow';

/** Published packs are immutable, so each id@version is cached once loaded. */
@Injectable()
export class PolicyPackService {
  private readonly cache = new Map<string, PolicyPack>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly packs: PolicyPackRepository,
  ) {}

  /** Publishes the packs that ship with the product; idempotent. */
  async publishShipped(): Promise<void> {
    for (const pack of SHIPPED_POLICY_PACKS) await this.packs.publish(pack);
  }

  async get(id: string, version: string, db: Db = this.dataSource): Promise<PolicyPack> {
    const key = `${id}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pack = await this.packs.find(id, version, db);
    if (!pack) throw new Error(`policy pack ${key} is not published`);
    this.cache.set(key, pack);
    return pack;
  }

  deadlineMs(pack: PolicyPack, kind: DeadlineKind): number {
    return parseIsoDuration(pack.deadlines[kind]);
  }
}
