import { z } from 'zod';
import type { PolicyVocabulary } from './define-event.js';

/** Field schemas shared by several payloads. */
export const text = (max = 20_000) => z.string().trim().min(1).max(max);
export const id = () => z.uuid();
export const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
export const revision = () => z.number().int().min(1);
export const component = (policy: PolicyVocabulary) => z.enum(policy.components);
export const assurance = () => z.enum(['reasonable', 'limited']);

export const condition = (policy: PolicyVocabulary) =>
  z.strictObject({
    text: text(),
    component: component(policy).optional(),
    maxRelease: z.enum(policy.releaseLevels).optional(),
  });
