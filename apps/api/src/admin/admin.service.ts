import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { hashToken } from '@app/auth';
import { parseBody } from '@app/http';
import { canonicalJson, sha256Hex } from '@app/integrity';
import { validatePolicyPack, type PolicyPack } from '@app/policy';
import { ConflictRepository, OrganisationRepository, PolicyPackRepository, TokenRepository, UserRepository, iso, type UserRow } from '@app/persistence';
import { ProblemError, validationFailed, type FieldProblem } from '@app/problems';
import { ROLE_FOR_ORGANISATION_KIND, Roles, type UserActor } from '@app/workflow';
import { OperatorLogService } from '../operator-log/operator-log.service.js';
import { OperatorLogTypes } from '../operator-log/operator-log-types.js';
import { createConflictSchema, createOrganisationSchema, createUserSchema } from './admin.dto.js';

const userActor = (user: UserActor) => ({ id: user.id, role: user.role, organisationId: user.organisationId });

/**
 * Operator actions: organisations, users, conflicts and policy packs. Never cases. Each action
 * appends its operator-log row in the caller's transaction (tokens: TokensService).
 */
@Injectable()
export class AdminService {
  private readonly logger = new Logger(AdminService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly organisations: OrganisationRepository,
    private readonly users: UserRepository,
    private readonly tokens: TokenRepository,
    private readonly conflicts: ConflictRepository,
    private readonly packs: PolicyPackRepository,
    private readonly operatorLog: OperatorLogService,
  ) {}

  async createOrganisation(admin: UserActor, input: z.infer<typeof createOrganisationSchema>, db: EntityManager) {
    const organisation = await this.organisations.create(input, db);
    await this.operatorLog.append(db, {
      type: OperatorLogTypes.organisationCreated,
      actor: admin,
      payload: { organisationId: organisation.id, name: organisation.name, kind: organisation.kind },
    });
    return organisation;
  }

  async createUser(admin: UserActor, input: z.infer<typeof createUserSchema>, db: EntityManager) {
    const problems: FieldProblem[] = [];
    if (input.role === Roles.admin) {
      if (input.organisationId !== null) problems.push({ path: '$.organisationId', message: 'an admin belongs to no organisation' });
    } else {
      const organisation = input.organisationId ? await this.organisations.findById(input.organisationId, db) : null;
      if (!organisation) problems.push({ path: '$.organisationId', message: 'no such organisation' });
      else if (ROLE_FOR_ORGANISATION_KIND[organisation.kind] !== input.role)
        problems.push({ path: '$.role', message: `a ${organisation.kind} organisation's users have the role ${ROLE_FOR_ORGANISATION_KIND[organisation.kind]}` });
    }
    if (await this.users.findByEmail(input.email, db)) problems.push({ path: '$.email', message: 'already in use' });
    if (problems.length) throw validationFailed(problems);
    const user = await this.users.create(input, db);
    await this.operatorLog.append(db, {
      type: OperatorLogTypes.userCreated,
      actor: admin,
      payload: { user: userActor(user), email: user.email, displayName: user.displayName },
    });
    return user;
  }

  async createConflict(admin: UserActor, input: z.infer<typeof createConflictSchema>, db: EntityManager) {
    const problems: FieldProblem[] = [];
    const firm = await this.organisations.findById(input.auditFirmId, db);
    if (firm?.kind !== 'audit_firm') problems.push({ path: '$.auditFirmId', message: 'not an audit firm' });
    const developer = await this.organisations.findById(input.developerOrganisationId, db);
    if (developer?.kind !== 'developer') problems.push({ path: '$.developerOrganisationId', message: 'not a developer organisation' });
    if (input.scope === 'individual') {
      const auditor = input.auditorId ? await this.users.findById(input.auditorId, db) : null;
      if (!auditor || auditor.organisationId !== input.auditFirmId)
        problems.push({ path: '$.auditorId', message: 'an individual conflict names an auditor of the audit firm' });
    } else if (input.auditorId) problems.push({ path: '$.auditorId', message: 'only with scope individual' });
    if (input.since && input.until && input.since >= input.until) problems.push({ path: '$.until', message: 'must be after since' });
    if (problems.length) throw validationFailed(problems);
    const conflict = await this.conflicts.create(input, db);
    await this.operatorLog.append(db, {
      type: OperatorLogTypes.conflictRecorded,
      actor: admin,
      payload: {
        conflictId: conflict.id,
        auditFirmId: input.auditFirmId,
        developerOrganisationId: input.developerOrganisationId,
        kind: input.kind,
        scope: input.scope,
        auditorId: input.auditorId ?? null,
        since: input.since ?? null,
        until: input.until ?? null,
      },
    });
    return conflict;
  }

  async publishPolicyPack(admin: UserActor, document: unknown, db: EntityManager) {
    const pack = parseBody<PolicyPack>(validatePolicyPack, document);
    if (!(await this.packs.publish(pack, db)))
      throw new ProblemError(409, 'pack-exists', 'Policy pack version exists', `${pack.id}@${pack.version} is published and immutable`);
    const id = `${pack.id}@${pack.version}`;
    await this.operatorLog.append(db, {
      type: OperatorLogTypes.policyPackPublished,
      actor: admin,
      payload: { policyPack: id, documentSha256: sha256Hex(canonicalJson(pack)) },
    });
    return { id };
  }

  /**
   * On start, under the bootstrap lock (concurrent api starts are safe): with no admin, an admin
   * holding ADMIN_TOKEN; when ADMIN_TOKEN changed, the old bootstrap token revoked and the new one
   * issued to the bootstrap admin. Both are operator-log rows by `"system"`. A revoked or expired
   * ADMIN_TOKEN is never brought back: the process says so and an operator sets a new one.
   */
  async bootstrapAdmin(adminToken: string | undefined, ttlDays: number): Promise<'created' | 'rotated' | 'unchanged'> {
    if (!adminToken) return 'unchanged';
    if (adminToken.length < 16) this.logger.warn('ADMIN_TOKEN is shorter than 16 characters: use a long random secret in production');
    return this.dataSource.transaction(async (db) => {
      await this.users.lockAdminBootstrap(db);
      const tokenHash = hashToken(adminToken);
      const known = await this.tokens.findByHash(tokenHash, db);
      if (known) {
        if (!known.bootstrap) this.logger.error('ADMIN_TOKEN is a token issued through the API, not the bootstrap token: set a new ADMIN_TOKEN');
        else if (known.revokedAt) this.logger.error('ADMIN_TOKEN was revoked: set a new ADMIN_TOKEN to rotate it');
        else if (known.expiresAt.getTime() <= Date.now()) this.logger.error(`ADMIN_TOKEN expired at ${iso(known.expiresAt)}: set a new ADMIN_TOKEN to rotate it`);
        return 'unchanged';
      }
      const holder = await this.users.bootstrapAdmin(db);
      if (!holder) {
        const admin = await this.users.create({ email: 'admin@clearance.local', displayName: 'Administrator', organisationId: null, role: Roles.admin }, db);
        const token = await this.issueBootstrapToken(db, admin, tokenHash, ttlDays);
        await this.operatorLog.append(db, {
          type: OperatorLogTypes.adminBootstrapped,
          actor: 'system',
          payload: { user: userActor(admin), tokenId: token.id, expiresAt: iso(token.expiresAt) },
        });
        return 'created';
      }
      const revoked = await this.tokens.revokeBootstrap(db);
      const token = await this.issueBootstrapToken(db, holder, tokenHash, ttlDays);
      await this.operatorLog.append(db, {
        type: OperatorLogTypes.adminTokenRotated,
        actor: 'system',
        payload: { user: userActor(holder), tokenId: token.id, expiresAt: iso(token.expiresAt), revokedTokenIds: revoked.ids },
      });
      this.logger.log(`ADMIN_TOKEN changed: ${revoked.ids.length} old bootstrap token(s) revoked, the new one issued`);
      return 'rotated';
    });
  }

  private issueBootstrapToken(db: EntityManager, admin: UserRow, tokenHash: string, ttlDays: number) {
    return this.tokens.create({ userId: admin.id, tokenHash, label: 'ADMIN_TOKEN', createdBy: null, expiresAt: null, ttlDays, bootstrap: true }, db);
  }
}
