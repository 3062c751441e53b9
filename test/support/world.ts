import { adminSeeder, currentTestEnvironment, type HttpClient, type Member } from '@app/testing';

export type { Member };

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

/** Fresh organisations and users for one suite, created through the admin API. */
export const createWorld = async (http: HttpClient): Promise<World> => {
  const admin = http.as(currentTestEnvironment().adminToken);
  const { organisation, member } = adminSeeder(admin);
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
