import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { hashToken } from '@app/auth';
import type { UserRepository } from '@app/persistence';
import type { JobQueues } from '@app/queue';
import { Roles } from '@app/workflow';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The admin's token, as a bearer token or as the HTTP Basic password (so a browser can open it). */
const adminOnly = (users: UserRepository) => async (request: Request, response: Response, next: NextFunction) => {
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined;
  const token = bearer ?? password;
  const user = token ? await users.findByTokenHash(hashToken(token)).catch(() => null) : null;
  if (user?.role === Roles.admin) return next();
  response
    .status(user ? 403 : 401)
    .setHeader('WWW-Authenticate', 'Basic realm="Clearance queues", charset="UTF-8"')
    .type('application/problem+json')
    .json({
      type: user ? '/problems/forbidden' : '/problems/unauthenticated',
      title: user ? 'Forbidden' : 'Unauthenticated',
      status: user ? 403 : 401,
      detail: user ? 'the queue dashboard is for admins' : 'the admin token is required (bearer, or as the Basic password)',
    });
};

/** The BullMQ dashboard, mounted on the api's Express instance. */
export const queueDashboard = (queues: JobQueues, users: UserRepository) => {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.all().map((queue) => new BullMQAdapter(queue)), serverAdapter });
  return [adminOnly(users), serverAdapter.getRouter()] as const;
};
