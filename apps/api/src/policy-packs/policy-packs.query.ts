import { Injectable } from '@nestjs/common';
import { requirePathName } from '@app/http';
import { PolicyPackRepository, iso } from '@app/persistence';
import { notFound } from '@app/problems';

/** Published policy packs: every version, and one document. */
@Injectable()
export class PolicyPacksQuery {
  constructor(private readonly packs: PolicyPackRepository) {}

  async list() {
    const rows = await this.packs.list();
    return {
      items: rows.map((r) => ({ ref: `${r.id}@${r.version}`, id: r.id, version: r.version, title: r.title, publishedAt: iso(r.publishedAt) })),
      nextCursor: null,
    };
  }

  async get(id: string, version: string) {
    const detail = 'no such policy pack version';
    const pack = await this.packs.find(requirePathName(id, detail), requirePathName(version, detail));
    if (!pack) throw notFound(`no policy pack ${id}@${version}`);
    return pack;
  }
}
