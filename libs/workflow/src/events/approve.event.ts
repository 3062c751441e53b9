import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { assurance, condition, sha256, text } from './payload-fields.js';

export const approve = defineEvent({
  type: 'APPROVE',
  actor: 'assigned_auditor',
  payload: (policy) =>
    z
      .strictObject({
        revisionHash: sha256(),
        opinion: z.enum(['unmodified', 'qualified']),
        assurance: assurance(),
        basis: text().optional(),
        conditions: z.array(condition(policy)).max(100),
      })
      .superRefine((value, ctx) => {
        if (value.opinion !== 'unmodified' && value.basis === undefined)
          ctx.addIssue({ code: 'custom', path: ['basis'], message: 'required unless the opinion is unmodified' });
      }),
  guards: [
    {
      rule: 'signs-once',
      payloadIndependent: true,
      check: ({ context, user }) => {
        const signed = context.signOffs.some((s) => s.auditorId === user?.id && s.revisionHash === context.revisionHash);
        return signed ? 'this auditor has already signed off this revision' : null;
      },
    },
    {
      rule: 'not-submitter',
      payloadIndependent: true,
      check: ({ context, user }) => {
        if (!user) return null;
        if (user.id === context.submittedBy) return 'the person who submitted a revision never signs it off';
        return user.organisationId === context.developerOrganisationId ? 'nobody signs off work of their own organisation' : null;
      },
    },
    {
      rule: 'auditor-independent',
      payloadIndependent: true,
      check: ({ facts }) => (facts.actorConflicted ? 'an active conflict of interest covers this auditor' : null),
    },
    {
      rule: 'no-blocking-findings',
      payloadIndependent: true,
      check: ({ facts }) => {
        const open = facts.blockingFindings ?? 0;
        return open > 0 ? `${open} major or critical finding(s) are not yet resolved` : null;
      },
    },
    {
      rule: 'within-policy',
      payloadIndependent: true,
      check: ({ facts }) => {
        const violations = facts.policyViolations ?? [];
        return violations.length > 0 ? violations.map((v) => v.message).join('; ') : null;
      },
    },
  ],
  facts: ['blockingFindings', 'actorConflicted', 'policyViolations'],
  records: true,
  subject: ({ context, user }) =>
    user && context.revisionHash !== null ? { auditorId: user.id, revisionHash: context.revisionHash } : null,
});
