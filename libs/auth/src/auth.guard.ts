import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden } from '@app/problems';
import type { Role } from '@app/workflow';
import { PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './auth.decorators.js';
import { TokenAuthenticator } from './token-authenticator.js';
import { bearerToken } from './token.util.js';

/** Bearer authentication (401, or 429 past the wrong-token limit), then the route's role list (403). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: TokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, string | undefined>; ip?: string }>();
    const user = await this.authenticator.authenticate(bearerToken(request.headers.authorization), request.ip ?? '');
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw forbidden(`this route is not open to the ${user.role} role`);
    return true;
  }
}
