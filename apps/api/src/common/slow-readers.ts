import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { UPLOAD_MIN_BODY_RATE } from './upload-slots.interceptor.js';

export interface SlowReaderBounds {
  /** A reader may fall behind this long before its pace is judged. */
  graceMs: number;
  /** …and must then have taken what it was sent at this pace on average. */
  bytesPerSecond: number;
  /** Answers queued for readers in this process, in all; past it the longest-waiting reader is closed. */
  maxQueuedBytes: number;
  checkEveryMs: number;
}

/** docs/decisions.md, "Answers a client does not take". A client takes its answer at the pace it must send an upload's body. */
export const slowReaderBounds = (config: Pick<AppConfig, 'ANSWERS_QUEUED_MAX_MB'>): SlowReaderBounds => ({
  ...UPLOAD_MIN_BODY_RATE,
  maxQueuedBytes: config.ANSWERS_QUEUED_MAX_MB * 1024 * 1024,
  checkEveryMs: 1000,
});

/** Since when a connection has had bytes waiting for its reader, and what it has been given since. */
interface Backlog {
  since: number;
  /** `socket.bytesWritten` (which counts what is queued) less what was queued, when the wait began. */
  takenBefore: number;
}

/**
 * Closes connections whose clients do not take their answers. What the kernel cannot send stays
 * queued in this process (`socket.writableLength`), a case view or an export page of megabytes,
 * until the client reads it, and nothing else bounded how long: a few hundred requests never
 * read, from one token, would hold gigabytes and take the api down for everyone. So:
 * - a connection that has had bytes waiting longer than the grace plus what it was given at
 *   `bytesPerSecond` is closed: a client that reads nothing, or trickles, is let go;
 * - past `maxQueuedBytes` queued in all, the connections that have waited longest are closed
 *   until the rest fit, so memory stays bounded whatever the pace of the clients.
 * Only time with bytes queued counts: a slow handler or an idle keep-alive connection is not the
 * reader's fault. The answer's status is long sent by then, so the only way left is to close.
 */
@Injectable()
export class SlowReaders {
  private readonly logger = new Logger(SlowReaders.name);
  private readonly backlogs = new Map<Socket, Backlog | null>();
  private timer: NodeJS.Timeout | undefined;
  /** Bytes queued for readers at the last check, and connections closed since the start (metrics). */
  queuedBytes = 0;
  closed = 0;

  watch(server: Server, bounds: SlowReaderBounds): void {
    server.on('connection', (socket: Socket) => {
      this.backlogs.set(socket, null);
      socket.once('close', () => this.backlogs.delete(socket));
    });
    this.timer = setInterval(() => this.check(bounds), bounds.checkEveryMs).unref();
    server.once('close', () => clearInterval(this.timer));
  }

  private check({ graceMs, bytesPerSecond, maxQueuedBytes }: SlowReaderBounds): void {
    const now = performance.now();
    let queued = 0;
    const waiting: Array<{ socket: Socket; since: number; queued: number }> = [];
    for (const [socket, backlog] of this.backlogs) {
      const pending = socket.writableLength;
      if (pending === 0) {
        if (backlog) this.backlogs.set(socket, null);
        continue;
      }
      if (!backlog) {
        this.backlogs.set(socket, { since: now, takenBefore: socket.bytesWritten - pending });
        queued += pending;
        waiting.push({ socket, since: now, queued: pending });
        continue;
      }
      const given = socket.bytesWritten - backlog.takenBefore;
      if (now - backlog.since > graceMs + (given / bytesPerSecond) * 1000) {
        this.close(socket, `${pending} of the ${given} bytes it was given since ${Math.round(now - backlog.since)} ms ago are still queued`);
        continue;
      }
      queued += pending;
      waiting.push({ socket, since: backlog.since, queued: pending });
    }
    if (queued > maxQueuedBytes) {
      waiting.sort((a, b) => a.since - b.since);
      for (const { socket, queued: held } of waiting) {
        if (queued <= maxQueuedBytes) break;
        this.close(socket, `${held} bytes queued while answers queued for readers passed ${maxQueuedBytes} bytes`);
        queued -= held;
      }
    }
    this.queuedBytes = queued;
  }

  private close(socket: Socket, why: string): void {
    this.backlogs.delete(socket);
    this.closed += 1;
    this.logger.warn(`closed the connection of ${socket.remoteAddress ?? 'a client'} that did not take its answer: ${why}`);
    socket.destroy();
  }
}
