import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken, sameSecret, TokenAuthenticator } from '@app/auth';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { forbidden } from '@app/problems';
import { Roles } from '@app/workflow';

/** `/metrics` answers to `Bearer <METRICS_TOKEN>` (when set) or to an admin's token; wrong tokens count like any other. */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly authenticator: TokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request.headers.authorization);
    if (token && this.config.METRICS_TOKEN && sameSecret(token, this.config.METRICS_TOKEN)) return true;
    const user = await this.authenticator.authenticate(token, request.ip ?? '');
    if (user.role !== Roles.admin) throw forbidden('the metrics are for the metrics scraper and admins');
    return true;
  }
}
