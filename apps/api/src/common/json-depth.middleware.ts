import type { NextFunction, Request, Response } from 'express';
import { malformed } from '@app/problems';
import { sendProblem } from './problem.response.js';

/** Deeper than any document the api accepts (an assessment or a policy pack nests under ten levels). */
export const MAX_JSON_DEPTH = 64;

/** How deep a parsed JSON value nests, counted without recursion and stopping past `limit`. */
export const jsonDepth = (value: unknown, limit: number): number => {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push({ value: child, depth: depth + 1 });
  }
  return deepest;
};

/**
 * A parsed JSON body nested deeper than MAX_JSON_DEPTH is `malformed` (400), with the other
 * parse failures before authentication: the recursive code behind the edge (RFC 8785
 * canonicalisation of the idempotency fingerprint, zod) would otherwise overflow the stack (500).
 */
export const rejectDeepJson = (request: Request, response: Response, next: NextFunction): void => {
  if (jsonDepth(request.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) sendProblem(response, malformed(`JSON bodies nest at most ${MAX_JSON_DEPTH} levels`));
  else next();
};
