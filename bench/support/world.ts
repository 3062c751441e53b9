import { HttpClient, adminSeeder, type HttpTransport, type Member } from '@app/testing';

/** The three parties of one client's lifecycles: its own developer organisation, an audit firm and a regulator. */
export interface Cast {
  developer: Member;
  auditor: Member;
  regulator: Member;
}

/** Seeds organisations, users and tokens through the admin API: one cast per client. */
export const seedCasts = async (admin: HttpClient, count: number): Promise<Cast[]> => {
  const { organisation, member } = adminSeeder(admin, { emailDomain: 'bench.example.org' });
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

/** The same cast, its requests sent to the api at `baseUrl` (one of several replicas). */
export const onApi = (cast: Cast, baseUrl: string, transport: HttpTransport): Cast => {
  const to = (member: Member): Member => ({ ...member, http: new HttpClient(baseUrl, member.token, transport) });
  return { developer: to(cast.developer), auditor: to(cast.auditor), regulator: to(cast.regulator) };
};
