import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { payloadTooLarge } from '@app/problems';

const MAX_BODY_BYTES = 'clearance:max-body-bytes';

/**
 * The largest body a route that parses its own (multipart) takes, as declared by Content-Length;
 * `detail` says what the limit is to the client.
 */
export const MaxBodyBytes = (bytes: number, detail: string) => SetMetadata(MAX_BODY_BYTES, { bytes, detail });

/**
 * 413 to a body whose declared length is over its route's MaxBodyBytes, before authentication and
 * before a byte of it is read: SPEC.md puts 413 before authentication, and JSON routes get it from
 * the body parser, which runs before any guard. A chunked body (no Content-Length) is still
 * counted as it is parsed, after authentication.
 */
@Injectable()
export class BodySizeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const limit = this.reflector.get<{ bytes: number; detail: string } | undefined>(MAX_BODY_BYTES, context.getHandler());
    if (!limit) return true;
    const declared = Number(context.switchToHttp().getRequest<Request>().headers['content-length'] ?? 0);
    if (declared > limit.bytes) throw payloadTooLarge(limit.detail);
    return true;
  }
}
