import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import { unsupportedMediaType } from '@app/problems';

/** What a route reads unless it declares otherwise with `@ApiConsumes` (the OpenAPI default). */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

const matches = (mediaType: string, pattern: string): boolean =>
  pattern.includes('*') ? new RegExp(`^${pattern.replaceAll('.', '\\.').replaceAll('+', '\\+').replaceAll('*', '[^/]+')}$`).test(mediaType) : mediaType === pattern;

/** A request body is there when it has a length over zero or is chunked. */
export const hasBody = (request: Request): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

/**
 * 415 to a body of a media type the route does not read (JSON unless `@ApiConsumes` says
 * otherwise). Registered before the auth guard: SPEC.md puts 415 before authentication.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!hasBody(request)) return true;
    const accepted =
      this.reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_CONSUMES, [context.getHandler(), context.getClass()]) ?? JSON_MEDIA_TYPES;
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (accepted.some((pattern) => matches(mediaType, pattern))) return true;
    throw unsupportedMediaType(`this route reads ${accepted.join(' or ')}, not ${mediaType || 'a body without a media type'}`);
  }
}
