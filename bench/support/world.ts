import { randomUUID } from 'node:crypto';
import type { BenchHttp } from './http-client.js';

export interface Member {
  id: string;
  http: BenchHttp;
}

/** The three parties of one client's lifecycles: its own developer organisation, an audit firm and a regulator. */
export interface Cast {
  developer: Member;
  auditor: Member;
  regulator: Member;
}

const must = (response: { status: number; body: any }, what: string): any => {
  if (response.status >= 300) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

/** Seeds organisations, users and tokens through the admin API: one cast per client. */
export const seedCasts = async (admin: BenchHttp, count: number): Promise<Cast[]> => {
  const tag = randomUUID().slice(0, 8);
  const organisation = async (name: string, kind: string): Promise<string> =>
    must(await admin.post('/v1/admin/organisations', { name: `${name} ${tag}`, kind }), 'create organisation').id;
  const member = async (organisationId: string, role: string, name: string): Promise<Member> => {
    const { id } = must(
      await admin.post('/v1/admin/users', { email: `${name}-${tag}@bench.example.org`, displayName: name, organisationId, role }),
      'create user',
    );
    const { token } = must(await admin.post(`/v1/admin/users/${id}/tokens`), 'issue token');
    return { id, http: admin.as(token) };
  };
  const regulator = await member(await organisation('AI Office', 'regulator'), 'regulator', 'regulator');
  const casts: Cast[] = [];
  for (let i = 0; i < count; i++) {
    casts.push({
      developer: await member(await organisation(`Lab ${i}`, 'developer'), 'developer', `dev-${i}`),
      auditor: await member(await organisation(`Audit firm ${i}`, 'audit_firm'), 'auditor', `auditor-${i}`),
      regulator,
    });
  }
  return casts;
};
