import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { Inject, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { levels, pino, stdSerializers, type Logger as PinoInstance } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { AppConfig } from '@app/config';

/** pino-http logs each finished request (errors and 5xx too) at `info`. */
const REQUEST_LOG_LEVEL = levels.values.info!;
const REQUEST_LOGGER = Symbol('REQUEST_LOGGER');

/** Express's request when Express serves it: `ip` is the client's address as TRUST_PROXY reads it. */
type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string; ip?: string };

/**
 * What a log line says of its request: its id, method and URL, and the client's address.
 * pino's standard serializer also copied every request header (redacted), the query (the URL
 * has it) and the route params (always `{}`: the logger is bound before routing), for every
 * request, whether or not anything was logged.
 */
export const loggedRequest = (request: LoggedRequest) => ({
  id: request.id,
  method: request.method,
  url: request.originalUrl ?? request.url,
  remoteAddress: request.ip ?? request.socket?.remoteAddress,
});

/** What a request line says of its response: the status (the duration is `responseTime`). */
export const loggedResponse = (response: ServerResponse) => ({ statusCode: response.statusCode });

/** The api's one pino logger: `service` bound once, tokens redacted should a line carry headers. */
export const apiLogger = (level: AppConfig['LOG_LEVEL'], destination?: NodeJS.WritableStream): PinoInstance =>
  pino(
    {
      level,
      base: { pid: process.pid, hostname: hostname(), service: 'api' },
      serializers: { req: loggedRequest, res: loggedResponse, err: stdSerializers.err },
      // Tokens never reach the logs: the serializer leaves headers out; should a line carry them anyway, they are redacted.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    destination as never,
  );

/**
 * The request logger: a request id on every request, `req.log` bound to it, and a line per
 * finished request at `info` (not asked for below it: none could be written). The serializers
 * are the root logger's, used as they are (wrapped, pino's full ones would run first).
 */
export const requestLogger = (root: PinoInstance): HttpLogger =>
  pinoHttp({ logger: root, wrapSerializers: false, autoLogging: root.levelVal <= REQUEST_LOG_LEVEL });

/**
 * The api's logs: JSON lines on stdout, one per finished request with its id, method, url,
 * status and duration (docs/operations.md). Nest's Logger writes through nestjs-pino to the
 * same root logger; nestjs-pino's own request middleware is not mounted: it ran every request
 * inside an AsyncLocalStorage, which on Node 20 puts a hook on every promise the process makes
 * (docs/decisions.md). A log made while answering names its request through `request.log`.
 */
@Module({})
export class RequestLoggingModule implements NestModule {
  static forRoot(level: AppConfig['LOG_LEVEL']): DynamicModule {
    const root = apiLogger(level);
    return {
      module: RequestLoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger: root }, forRoutes: [] })],
      providers: [{ provide: REQUEST_LOGGER, useValue: requestLogger(root) }],
    };
  }

  constructor(@Inject(REQUEST_LOGGER) private readonly middleware: HttpLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    // Where nestjs-pino mounted its middleware: after the app's own (bootstrap.ts), before every route.
    consumer.apply(this.middleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
