import { hostname } from 'node:os';
import type { Params } from 'nestjs-pino';
import { levels } from 'pino';
import type { AppConfig } from '@app/config';

/** pino-http logs each finished request (errors and 5xx too) at `info`. */
const REQUEST_LOG_LEVEL = levels.values.info!;

/**
 * The api's logs: JSON lines on stdout, one per finished request with its id, method, url,
 * status and duration (docs/operations.md), tokens redacted.
 *
 * `service` is bound once on the root logger rather than per request (pino-http's
 * `customProps` built a second child logger for every request and compared bindings again
 * when it finished); logs outside a request now carry it too. Below `info` no request line
 * can be written, so pino-http is not asked to watch each response for one.
 */
export const requestLogging = (level: AppConfig['LOG_LEVEL']): Params => ({
  pinoHttp: {
    level,
    base: { pid: process.pid, hostname: hostname(), service: 'api' },
    // Tokens never reach the logs.
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    autoLogging: level !== 'silent' && levels.values[level]! <= REQUEST_LOG_LEVEL,
  },
});
