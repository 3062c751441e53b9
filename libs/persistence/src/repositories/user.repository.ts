import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OrganisationKind, Role } from '@app/workflow';
import { ADVISORY_LOCKS, advisoryXactLock, type Db } from '../sql.util.js';

export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  organisationId: string | null;
  role: Role;
}

/** The holder of a live token, with the token's expiry and last recorded use (for the in-process token cache). */
export interface TokenHolderRow {
  user: UserRow;
  expiresAt: Date;
  lastUsedAt: Date | null;
}

export interface AuditorRow extends UserRow {
  organisationName: string;
  organisationKind: OrganisationKind;
}

const COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.organisation_id AS "organisationId", u.role`;

@Injectable()
export class UserRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(
    input: { email: string; displayName: string; organisationId: string | null; role: Role },
    db: Db = this.dataSource,
  ): Promise<UserRow> {
    const [row] = await db.query(
      `INSERT INTO users AS u (email, display_name, organisation_id, role) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [input.email, input.displayName, input.organisationId, input.role],
    );
    return row;
  }

  async findById(id: string, db: Db = this.dataSource): Promise<UserRow | null> {
    const [row] = await db.query(`SELECT ${COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return row ?? null;
  }

  async findByEmail(email: string, db: Db = this.dataSource): Promise<UserRow | null> {
    const [row] = await db.query(`SELECT ${COLUMNS} FROM users u WHERE lower(u.email) = lower($1)`, [email]);
    return row ?? null;
  }

  /** The user holding an unrevoked, unexpired token with this hash. */
  async findByTokenHash(tokenHash: string, db: Db = this.dataSource): Promise<TokenHolderRow | null> {
    const [row] = await db.query(
      `SELECT ${COLUMNS}, t.expires_at AS "expiresAt", t.last_used_at AS "lastUsedAt" FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`,
      [tokenHash],
    );
    if (!row) return null;
    const { expiresAt, lastUsedAt, ...user } = row as UserRow & { expiresAt: Date; lastUsedAt: Date | null };
    return { user, expiresAt, lastUsedAt };
  }

  /** Whether this hash names an unrevoked token that has expired (so a 401 can say so). */
  async hasExpiredToken(tokenHash: string, db: Db = this.dataSource): Promise<boolean> {
    const rows = await db.query(`SELECT 1 FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at <= now()`, [tokenHash]);
    return rows.length === 1;
  }

  /** The bootstrap admin: the holder of the newest bootstrap token, else the first admin. */
  async bootstrapAdmin(db: Db = this.dataSource): Promise<UserRow | null> {
    const [row] = await db.query(
      `SELECT ${COLUMNS} FROM users u
        WHERE u.role = 'admin'
        ORDER BY EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = u.id AND t.bootstrap) DESC,
                 (SELECT max(t.created_at) FROM api_tokens t WHERE t.user_id = u.id AND t.bootstrap) DESC NULLS LAST,
                 u.created_at, u.id
        LIMIT 1`,
    );
    return row ?? null;
  }

  /** Serialises concurrent api starts until the transaction ends, so exactly one creates the bootstrap admin. */
  async lockAdminBootstrap(db: Db): Promise<void> {
    await advisoryXactLock(db, ADVISORY_LOCKS.adminBootstrap);
  }

  async anyAdmin(db: Db = this.dataSource): Promise<boolean> {
    const [row] = await db.query(`SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin') AS present`);
    return row.present;
  }

  async idsInOrganisation(organisationId: string, db: Db = this.dataSource): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.query(`SELECT id FROM users WHERE organisation_id = $1`, [organisationId]);
    return rows.map((r) => r.id);
  }

  async idsWithRole(role: Role, db: Db = this.dataSource): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.query(`SELECT id FROM users WHERE role = $1`, [role]);
    return rows.map((r) => r.id);
  }

  async listAuditors(db: Db = this.dataSource): Promise<AuditorRow[]> {
    return db.query(
      `SELECT ${COLUMNS}, o.name AS "organisationName", o.kind AS "organisationKind"
         FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE u.role = 'auditor' ORDER BY o.name, u.display_name, u.id`,
    );
  }
}
