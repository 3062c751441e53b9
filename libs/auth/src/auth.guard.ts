import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UserRepository } from '@app/persistence';
import { forbidden, unauthenticated } from '@app/problems';
import type { Role } from '@app/workflow';
import { PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './auth.decorators.js';
import { hashToken } from './token.util.js';

/** The 401 detail for an expired token: clients (the web app) tell it apart from an unknown one. */
export const TOKEN_EXPIRED = 'the token has expired';

/** Bearer authentication (401), then the route's role list (403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UserRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, string | undefined> }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw unauthenticated();
    const tokenHash = hashToken(match[1]!);
    const user = await this.users.findByTokenHash(tokenHash);
    if (!user) throw unauthenticated((await this.users.hasExpiredToken(tokenHash)) ? TOKEN_EXPIRED : 'the token is unknown or revoked');
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw forbidden(`this route is not open to the ${user.role} role`);
    return true;
  }
}
