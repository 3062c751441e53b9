import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role, UserActor } from '@app/workflow';

export const ROLES_KEY = 'clearance:roles';
export const PUBLIC_KEY = 'clearance:public';

/** The roles a route is open to; others get 403 before the resource is looked up. */
export const AllowRoles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a token (health, docs, the public registry). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedRequest {
  user?: UserActor & { email: string; displayName: string };
}

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return request.user;
});
