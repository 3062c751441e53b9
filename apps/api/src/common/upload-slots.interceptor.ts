import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import { CallerSlots } from '@app/http';
import { tooManyAtOnce, uploadsBusy } from '@app/problems';
import type { UserActor } from '@app/workflow';

/** Evidence uploads one api process reads at once: per caller, and in all. */
export const UPLOADS_IN_FLIGHT = { perCaller: 8, total: 16 } as const;

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
  constructor(private readonly uploads: UploadsInFlight) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // The AuthGuard ran: only a caller with a valid token gets here.
    const { user } = context.switchToHttp().getRequest<{ user: UserActor }>();
    const release = this.uploads.take(user.id);
    return next.handle().pipe(finalize(release));
  }
}
