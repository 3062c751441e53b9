import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import { CallerSlots } from '@app/http';
import { bodyTooSlow, tooManyAtOnce, uploadsBusy } from '@app/problems';
import type { UserActor } from '@app/workflow';
import { problemBody } from './problem.response.js';

/** Evidence uploads one api process reads at once: per caller, and in all. */
export const UPLOADS_IN_FLIGHT = { perCaller: 8, total: 16 } as const;

/**
 * The slowest an upload's body may arrive, on average from its slot's taking once a grace has
 * passed: a body that trickles in holds its slot, and its caller's, for as long as it trickles
 * (docs/decisions.md, "An upload's body must keep coming").
 */
export const UPLOAD_MIN_BODY_RATE = { graceMs: 10_000, bytesPerSecond: 64 * 1024 } as const;

/**
 * The answer to a body that came too slowly, written to the connection itself: the route still
 * reads the request. The headers already set (security headers, request id) go with it.
 */
const tooSlowAnswer = (response: ServerResponse, rate: { graceMs: number; bytesPerSecond: number }): string => {
  const body = JSON.stringify(problemBody(bodyTooSlow(rate)));
  const own = ['content-type', 'content-length', 'connection'];
  const headers = Object.entries(response.getHeaders())
    .filter(([name]) => !own.includes(name))
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${String(v)}`));
  return [
    'HTTP/1.1 408 Request Timeout',
    ...headers,
    'content-type: application/problem+json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
};

/**
 * Watches a request's body arrive and, once it falls behind `rate`, answers 408 and closes the
 * connection, which ends the request as a client's going away would. Returns the stop.
 */
export const watchBodyRate = (
  request: IncomingMessage,
  response: ServerResponse,
  rate: { graceMs: number; bytesPerSecond: number },
  onTooSlow: () => void,
  checkEveryMs = 1000,
): (() => void) => {
  const { socket } = request;
  const startBytes = socket.bytesRead;
  const started = performance.now();
  const timer = setInterval(() => {
    if (request.complete || socket.destroyed) return clearInterval(timer);
    const owed = (rate.bytesPerSecond * (performance.now() - started - rate.graceMs)) / 1000;
    if (socket.bytesRead - startBytes >= owed) return;
    clearInterval(timer);
    onTooSlow();
    socket.end(tooSlowAnswer(response, rate), () => socket.destroy());
  }, checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
};

/** The evidence uploads in flight in this api process (the metrics show how many). */
@Injectable()
export class UploadsInFlight extends CallerSlots {
  constructor() {
    super(UPLOADS_IN_FLIGHT, {
      perCaller: (limit) => tooManyAtOnce('evidence uploads in flight', limit),
      total: (inHand) => uploadsBusy(inHand),
    });
  }
}

/**
 * Takes a slot before an upload's body is read (it goes before FileInterceptor), and frees it when
 * the request is answered. An upload is held in memory whole, up to 25 MiB, until it is stored:
 * without a bound, a burst of uploads, even from callers who may not write to the case (access is
 * checked on the stored body), held as many times that (docs/decisions.md, "Evidence uploads in
 * flight are bounded").
 */
@Injectable()
export class UploadSlots implements NestInterceptor {
  private readonly logger = new Logger(UploadSlots.name);

  constructor(private readonly uploads: UploadsInFlight) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // The AuthGuard ran: only a caller with a valid token gets here.
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage & { user: UserActor }>();
    const release = this.uploads.take(request.user.id);
    const stopWatching = watchBodyRate(request, http.getResponse<ServerResponse>(), UPLOAD_MIN_BODY_RATE, () =>
      this.logger.warn(`an evidence upload by user ${request.user.id} came too slowly: answered 408 and closed`),
    );
    return next.handle().pipe(
      finalize(() => {
        stopWatching();
        release();
      }),
    );
  }
}
