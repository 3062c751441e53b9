import type { Response } from 'express';
import type { ProblemError } from '@app/problems';

/** The RFC 9457 body of a ProblemError. */
export const problemBody = (error: ProblemError): Record<string, unknown> & { status: number } => ({
  type: `/problems/${error.slug}`,
  title: error.title,
  status: error.status,
  detail: error.message,
  ...error.extensions,
});

/** Sends a ProblemError as problem+json with its headers (for Express middleware, outside Nest's filter). */
export const sendProblem = (response: Response, error: ProblemError): void => {
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  response.status(error.status).type('application/problem+json').json(problemBody(error));
};
