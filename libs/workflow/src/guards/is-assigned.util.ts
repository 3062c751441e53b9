import type { CaseContext } from '../case-context.js';

export const isAssigned = (context: CaseContext, userId: string): boolean =>
  context.assignments.some((a) => a.auditorId === userId);
