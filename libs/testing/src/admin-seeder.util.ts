import { randomUUID } from 'node:crypto';
import { expectOk, type HttpClient } from './http-client.js';

/** A user with a bearer token, and a client that sends it. */
export interface Member {
  id: string;
  organisationId: string;
  token: string;
  http: HttpClient;
}

/**
 * Creates organisations, users and their tokens through the admin API. Names and emails
 * carry one random tag, so that suites and bench runs sharing a database never collide.
 */
export const adminSeeder = (admin: HttpClient, { emailDomain = 'example.org', tag = randomUUID().slice(0, 8) } = {}) => ({
  organisation: async (name: string, kind: string): Promise<string> =>
    expectOk(await admin.post('/v1/admin/organisations', { name: `${name} ${tag}`, kind }), 'create organisation').id,
  member: async (organisationId: string, role: string, name: string): Promise<Member> => {
    const { id } = expectOk(
      await admin.post('/v1/admin/users', { email: `${name}-${tag}@${emailDomain}`, displayName: name, organisationId, role }),
      'create user',
    );
    const { token } = expectOk(await admin.post(`/v1/admin/users/${id}/tokens`), 'issue token');
    return { id, organisationId, token, http: admin.as(token) };
  },
});
