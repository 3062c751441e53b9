import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { isTransientConnectError } from '@app/persistence';
import { bearerChallenge, databaseUnavailable, ProblemError } from '@app/problems';
import { problemBody } from './problem.response.js';

const SLUG_BY_STATUS: Record<number, string> = {
  400: 'malformed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
};

/** pino-http's request logger (`request.log`). */
interface Logged {
  error(bindings: object, message?: string): void;
}

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

const causeText = (cause: unknown): string => (cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));

/** Renders every error as RFC 9457 problem+json; unknown errors are logged and hidden, and so is a named server fault's cause. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(thrown: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const log = host.switchToHttp().getRequest<{ log?: Logged }>().log;
    // The database stopped, restarting or cut off is the database's state, not a fault of this code: a
    // line without a stack, and the client is told to come back.
    const unreachable = isTransientConnectError(thrown);
    if (unreachable) this.logError(log, `database not reachable: ${(thrown as Error)?.message}`);
    const error = unreachable ? databaseUnavailable() : thrown;
    const problem = this.toProblem(error, log);
    if (error instanceof ProblemError) for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    // SPEC.md: every 401 carries a Bearer challenge.
    if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) response.setHeader('WWW-Authenticate', bearerChallenge());
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(error: unknown, log: Logged | undefined): Record<string, unknown> & { status: number } {
    if (error instanceof ProblemError) {
      // A refusal (4xx, or 503 for load) is the request log's business; a fault of this server is logged whole.
      if (error.status === 500) this.logError(log, `${error.slug}: ${error.message}${error.cause === undefined ? '' : `; cause: ${causeText(error.cause)}`}`);
      return problemBody(error);
    }
    const parser = error as BodyParserError;
    if (parser?.type === 'entity.too.large') return this.generic(413, 'JSON bodies are at most 1 MiB');
    if (parser?.type === 'entity.parse.failed') return this.generic(400, 'the body is not valid JSON');
    if (parser?.type === 'encoding.unsupported' || parser?.type === 'charset.unsupported')
      return this.generic(415, parser.message ?? 'unsupported encoding');
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 413) return this.generic(413, 'the upload exceeds the size limit');
      return this.generic(status, error.message);
    }
    this.logError(log, causeText(error));
    return { type: '/problems/internal', title: 'Internal error', status: 500, detail: 'an unexpected error occurred' };
  }

  /** The request's own logger names the request (its id, method and url), as the line Nest's Logger wrote did. */
  private logError(log: Logged | undefined, detail: string): void {
    if (log) log.error({ context: ProblemFilter.name }, detail);
    else this.logger.error(detail);
  }

  private generic(status: number, detail: string) {
    const slug = SLUG_BY_STATUS[status] ?? 'error';
    const title = slug.replaceAll('-', ' ').replace(/^./, (c) => c.toUpperCase());
    return { type: `/problems/${slug}`, title, status, detail };
  }
}
