import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { bearerToken, type TokenAuthenticator } from '@app/auth';
import { forbidden, methodNotAllowed, ProblemError } from '@app/problems';
import type { JobQueues } from '@app/queue';
import { Roles } from '@app/workflow';
import { sendProblem } from '../common/problem.response.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

const READ_METHODS = ['GET', 'HEAD'];
// A browser prompts for the Basic password; API clients send the bearer token.
const BASIC_CHALLENGE = 'Basic realm="Clearance queues", charset="UTF-8"';

/** The dashboard only reads: any other method is 405, before authentication like the API's. */
const readOnly = (request: Request, response: Response, next: NextFunction) => {
  if (READ_METHODS.includes(request.method)) return next();
  sendProblem(response, methodNotAllowed(request.method, READ_METHODS));
};

/** The admin's token, as a bearer token or as the HTTP Basic password; wrong ones count toward the limiter. */
const adminOnly = (authenticator: TokenAuthenticator) => async (request: Request, response: Response, next: NextFunction) => {
  const header = request.headers.authorization;
  const basic = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined;
  try {
    const user = await authenticator.authenticate(bearerToken(header) ?? password, request.ip ?? '', [BASIC_CHALLENGE]);
    if (user.role !== Roles.admin) throw forbidden('the queue dashboard is for admins');
    next();
  } catch (error) {
    sendProblem(response, error instanceof ProblemError ? error : new ProblemError(503, 'unavailable', 'Service unavailable', 'tokens cannot be checked now'));
  }
};

/** The BullMQ dashboard, read-only, mounted on the api's Express instance. */
export const queueDashboard = (queues: JobQueues, authenticator: TokenAuthenticator) => {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.all().map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })), serverAdapter });
  return [readOnly, adminOnly(authenticator), serverAdapter.getRouter()] as const;
};
