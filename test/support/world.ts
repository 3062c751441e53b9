import { randomUUID } from 'node:crypto';
import { currentTestEnvironment } from '@app/testing';
import type { HttpClient } from './http-client.js';

export interface Member {
  id: string;
  organisationId: string;
  token: string;
  http: HttpClient;
}

export interface World {
  admin: HttpClient;
  developer: Member;
  developerColleague: Member;
  otherDeveloper: Member;
  auditorA: Member;
  auditorB: Member;
  auditorC: Member;
  auditorA2: Member;
  regulator: Member;
}

const must = <T>(response: { status: number; body: T }, what: string): T => {
  if (response.status >= 300) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};

/** Fresh organisations and users for one suite, created through the admin API. */
export const createWorld = async (http: HttpClient): Promise<World> => {
  const admin = http.as(currentTestEnvironment().adminToken);
  const tag = randomUUID().slice(0, 8);
  const organisation = async (name: string, kind: string) =>
    must(await admin.post('/v1/admin/organisations', { name: `${name} ${tag}`, kind }), 'create organisation').id as string;
  const member = async (organisationId: string, role: string, name: string): Promise<Member> => {
    const { id } = must(
      await admin.post('/v1/admin/users', { email: `${name}-${tag}@example.org`, displayName: name, organisationId, role }),
      'create user',
    );
    const { token } = must(await admin.post(`/v1/admin/users/${id}/tokens`), 'issue token');
    return { id, organisationId, token, http: http.as(token) };
  };
  const devOrg = await organisation('Acme AI', 'developer');
  const otherDevOrg = await organisation('Other Labs', 'developer');
  const firmA = await organisation('Audit A', 'audit_firm');
  const firmB = await organisation('Audit B', 'audit_firm');
  const firmC = await organisation('Audit C', 'audit_firm');
  const regulatorOrg = await organisation('AI Office', 'regulator');
  return {
    admin,
    developer: await member(devOrg, 'developer', 'dev'),
    developerColleague: await member(devOrg, 'developer', 'dev2'),
    otherDeveloper: await member(otherDevOrg, 'developer', 'otherdev'),
    auditorA: await member(firmA, 'auditor', 'auditor-a'),
    auditorB: await member(firmB, 'auditor', 'auditor-b'),
    auditorC: await member(firmC, 'auditor', 'auditor-c'),
    auditorA2: await member(firmA, 'auditor', 'auditor-a2'),
    regulator: await member(regulatorOrg, 'regulator', 'regulator'),
  };
};
