import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TokenInvalidationListener, generateToken, hashToken } from '@app/auth';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { KEYSETS, Paginator, findByIdOr404, pageSchema, parseBody, parseQuery, requireUuid } from '@app/http';
import { NotificationRepository, TokenRepository, UserRepository, dbNow, iso, type TokenRow, type UserRow } from '@app/persistence';
import { notFound, tooManyTokens, validationFailed } from '@app/problems';
import { Roles, type UserActor } from '@app/workflow';
import { z } from 'zod';
import { OperatorLogService } from '../operator-log/operator-log.service.js';
import { OperatorLogTypes } from '../operator-log/operator-log-types.js';
import { MAX_LIVE_TOKENS_PER_USER, MAX_TOKEN_DAYS, issueTokenSchema, type IssueTokenInput } from './dto/token.dto.js';

export const tokenListQuerySchema = z.strictObject(pageSchema);

const DAY_MS = 86_400_000;

/** A token as listed: never the secret or its hash. */
export const tokenView = (t: TokenRow) => ({
  id: t.id,
  label: t.label,
  createdAt: iso(t.createdAt),
  createdBy: t.createdBy,
  expiresAt: iso(t.expiresAt),
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
});

const userActor = (user: UserActor) => ({ id: user.id, role: user.role, organisationId: user.organisationId });

/**
 * Issuing, listing and revoking bearer tokens, by an admin for anyone or by a user for itself.
 * An admin's token actions (its own included) are appended to the operator log in the same
 * transaction; a token an admin issues for another user also lands in that user's inbox.
 */
@Injectable()
export class TokensService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokenRepository,
    private readonly users: UserRepository,
    private readonly notifications: NotificationRepository,
    private readonly operatorLog: OperatorLogService,
    private readonly paginator: Paginator,
    private readonly invalidation: TokenInvalidationListener,
  ) {}

  /** `POST /v1/admin/users/:id/tokens` (404 for an unknown user before 400 for the body). */
  async issueByAdmin(admin: UserActor, userId: string, body: unknown) {
    const holder = await findByIdOr404(userId, (id) => this.users.findById(id), 'no such user');
    const input = parseBody(issueTokenSchema, body ?? {});
    return this.dataSource.transaction(async (db) => {
      const issued = await this.issue(db, holder, admin.id, input);
      await this.logIssued(db, admin, holder, issued, input);
      if (holder.id !== admin.id)
        await this.notifications.addAccountNotice(
          {
            userId: holder.id,
            eventType: OperatorLogTypes.tokenIssued,
            reason: `an administrator issued a token${input.label ? ` "${input.label}"` : ''} for your account, expiring ${issued.expiresAt}; revoke it under your tokens if you did not expect it`,
          },
          db,
        );
      return issued;
    });
  }

  /** `POST /v1/me/tokens`: an admin's own issuance is still an admin action (operator log). */
  async issueOwn(user: UserRow, body: unknown) {
    const input = parseBody(issueTokenSchema, body ?? {});
    return this.dataSource.transaction(async (db) => {
      const issued = await this.issue(db, user, user.id, input);
      if (user.role === Roles.admin) await this.logIssued(db, user, user, issued, input);
      return issued;
    });
  }

  async listOfUser(userId: string, rawQuery: unknown) {
    const holder = await findByIdOr404(userId, (id) => this.users.findById(id), 'no such user');
    return this.list(holder.id, rawQuery);
  }

  async list(userId: string, rawQuery: unknown) {
    const q = parseQuery(tokenListQuerySchema, rawQuery);
    return this.paginator.paginate(q, {
      fingerprint: `tokens:${userId}`,
      keyset: KEYSETS.timeAndId,
      fetch: (after, limit) => this.tokens.pageOfUser(userId, after, limit),
      keyOf: (row) => [row.sortKey, row.id],
      view: tokenView,
    });
  }

  /** `DELETE /v1/admin/tokens/:id`: any token; idempotent. */
  async revokeByAdmin(admin: UserActor, id: string): Promise<void> {
    const token = await findByIdOr404(id, (tokenId) => this.tokens.findById(tokenId), 'no such token');
    await this.revoke(admin, token);
  }

  /** `DELETE /v1/me/tokens/:id`: only the caller's own; another's id is 404 like a missing one. */
  async revokeOwn(user: UserRow, id: string): Promise<void> {
    const token = await this.tokens.findById(requireUuid(id, 'no such token'));
    if (!token || token.userId !== user.id) throw notFound('no such token');
    await this.revoke(user, token);
  }

  private async revoke(actor: UserActor, token: TokenRow): Promise<void> {
    await this.dataSource.transaction(async (db) => {
      const revoked = await this.tokens.revoke(token.id, db);
      if (!revoked || actor.role !== Roles.admin) return;
      const holder = await this.users.findById(token.userId, db);
      await this.operatorLog.append(db, {
        type: OperatorLogTypes.tokenRevoked,
        actor,
        payload: { tokenId: token.id, user: holder ? userActor(holder) : { id: token.userId } },
      });
    });
    // Answer once every api process's cache has dropped the token (bounded): the client's next request, anywhere, is 401.
    await this.invalidation.settle();
  }

  /**
   * Stores a new token's hash; `expiresAt` must be in the future and at most MAX_TOKEN_DAYS ahead
   * (Postgres clock), and the holder may hold at most MAX_LIVE_TOKENS_PER_USER live tokens (409).
   */
  private async issue(db: EntityManager, holder: UserRow, createdBy: string, input: IssueTokenInput) {
    if (input.expiresAt !== undefined) {
      const now = Date.parse(await dbNow(db));
      const at = Date.parse(input.expiresAt);
      if (at <= now) throw validationFailed([{ path: '$.expiresAt', message: 'must be in the future' }]);
      if (at > now + MAX_TOKEN_DAYS * DAY_MS) throw validationFailed([{ path: '$.expiresAt', message: `must be at most ${MAX_TOKEN_DAYS} days ahead` }]);
    }
    const token = generateToken();
    const row = await this.tokens.createWithinLimit(
      {
        userId: holder.id,
        tokenHash: hashToken(token),
        label: input.label ?? null,
        createdBy,
        expiresAt: input.expiresAt ?? null,
        ttlDays: this.config.TOKEN_TTL_DAYS,
      },
      MAX_LIVE_TOKENS_PER_USER,
      db,
    );
    if (!row) throw tooManyTokens(MAX_LIVE_TOKENS_PER_USER);
    return { id: row.id, token, expiresAt: iso(row.expiresAt)! };
  }

  private async logIssued(db: EntityManager, admin: UserActor, holder: UserRow, issued: { id: string; expiresAt: string }, input: IssueTokenInput) {
    await this.operatorLog.append(db, {
      type: OperatorLogTypes.tokenIssued,
      actor: admin,
      payload: { tokenId: issued.id, user: userActor(holder), label: input.label ?? null, expiresAt: issued.expiresAt },
    });
  }
}
