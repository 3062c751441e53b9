import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { generateToken, hashToken } from '@app/auth';
import { findByIdOr404, parseBody } from '@app/http';
import { validatePolicyPack, type PolicyPack } from '@app/policy';
import { ConflictRepository, OrganisationRepository, PolicyPackRepository, TokenRepository, UserRepository, type Db } from '@app/persistence';
import { ProblemError, validationFailed, type FieldProblem } from '@app/problems';
import { ROLE_FOR_ORGANISATION_KIND, Roles } from '@app/workflow';
import { createConflictSchema, createOrganisationSchema, createUserSchema } from './admin.dto.js';

/** Operator actions: organisations, users, tokens, conflicts and policy packs. Never cases. */
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
  ) {}

  async createOrganisation(input: z.infer<typeof createOrganisationSchema>, db: Db = this.dataSource) {
    return this.organisations.create(input, db);
  }

  async createUser(input: z.infer<typeof createUserSchema>, db: Db = this.dataSource) {
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
    return this.users.create(input, db);
  }

  /** A new token, shown once; only its hash is kept. */
  async issueToken(userId: string) {
    await findByIdOr404(userId, (id) => this.users.findById(id), 'no such user');
    const token = generateToken();
    const { id } = await this.tokens.create(userId, hashToken(token));
    return { id, token };
  }

  async revokeToken(id: string): Promise<void> {
    await findByIdOr404(id, (tokenId) => this.tokens.exists(tokenId), 'no such token');
    await this.tokens.revoke(id);
  }

  async createConflict(input: z.infer<typeof createConflictSchema>, db: Db = this.dataSource) {
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
    return this.conflicts.create(input, db);
  }

  async publishPolicyPack(document: unknown, db: Db = this.dataSource) {
    const pack = parseBody<PolicyPack>(validatePolicyPack, document);
    if (!(await this.packs.publish(pack, db)))
      throw new ProblemError(409, 'pack-exists', 'Policy pack version exists', `${pack.id}@${pack.version} is published and immutable`);
    return { id: `${pack.id}@${pack.version}` };
  }

  /** On start: an admin holding ADMIN_TOKEN, if there is no admin yet. */
  async bootstrapAdmin(adminToken: string | undefined): Promise<boolean> {
    if (!adminToken) return false;
    if (adminToken.length < 16) this.logger.warn('ADMIN_TOKEN is shorter than 16 characters: use a long random secret in production');
    return this.dataSource.transaction(async (db) => {
      await this.users.lockAdminBootstrap(db);
      if (await this.users.anyAdmin(db)) return false;
      const admin = await this.users.create(
        { email: 'admin@clearance.local', displayName: 'Administrator', organisationId: null, role: Roles.admin },
        db,
      );
      await this.tokens.create(admin.id, hashToken(adminToken), db);
      return true;
    });
  }
}
