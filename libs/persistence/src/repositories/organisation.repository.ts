import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OrganisationKind } from '@app/workflow';
import type { Db } from '../sql.util.js';

export interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
}

@Injectable()
export class OrganisationRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(input: { name: string; kind: OrganisationKind }, db: Db = this.dataSource): Promise<OrganisationRow> {
    const [row] = await db.query(`INSERT INTO organisations (name, kind) VALUES ($1, $2) RETURNING id, name, kind`, [
      input.name,
      input.kind,
    ]);
    return row;
  }

  async findById(id: string, db: Db = this.dataSource): Promise<OrganisationRow | null> {
    const [row] = await db.query(`SELECT id, name, kind FROM organisations WHERE id = $1`, [id]);
    return row ?? null;
  }

  async idsOfKind(kind: OrganisationKind, db: Db = this.dataSource): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.query(`SELECT id FROM organisations WHERE kind = $1`, [kind]);
    return rows.map((r) => r.id);
  }
}
