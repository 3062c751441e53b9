import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { assurance, text } from './payload-fields.js';

export const flag = defineEvent({
  type: 'FLAG',
  actor: 'assigned_auditor_or_regulator',
  payload: () =>
    z
      .strictObject({
        reason: text(),
        opinion: z.enum(['adverse', 'disclaimer']).optional(),
        assurance: assurance().optional(),
      })
      .superRefine((value, ctx) => {
        if (value.opinion !== undefined && value.assurance === undefined)
          ctx.addIssue({ code: 'custom', path: ['assurance'], message: 'required with an opinion' });
        if (value.opinion === undefined && value.assurance !== undefined)
          ctx.addIssue({ code: 'custom', path: ['assurance'], message: 'only with an opinion' });
      }),
  guards: [
    {
      rule: 'regulator-flags-without-opinion',
      check: ({ user, payload }) =>
        user?.role === 'regulator' && payload.opinion !== undefined ? 'a regulator flags without an opinion' : null,
    },
  ],
  records: true,
  /** An auditor's flag with an opinion replaces their opinion on the current revision; a plain flag writes none. */
  subject: ({ context, payload, user }) => {
    if (payload.opinion === undefined || payload.assurance === undefined || !user) return { opinion: null };
    if (context.revisionHash === null) return null;
    return {
      opinion: { auditorId: user.id, revisionHash: context.revisionHash, kind: payload.opinion, assurance: payload.assurance },
    };
  },
});
