import type { NextFunction, Request, Response } from 'express';
import { malformed } from '@app/problems';
import { sendProblem } from './problem.response.js';

/** Deeper than any document the api accepts (an assessment or a policy pack nests under ten levels). */
export const MAX_JSON_DEPTH = 64;

/** The depth of `value` found `depth` levels down, returning as soon as it passes `limit`. */
const depthBelow = (value: object, depth: number, limit: number): number => {
  const here = depth + 1;
  if (here > limit) return here;
  // A raw body (a Buffer) holds only numbers: one level, without walking its bytes.
  if (ArrayBuffer.isView(value)) return here;
  let deepest = here;
  for (const child of Array.isArray(value) ? (value as unknown[]) : Object.values(value)) {
    if (child === null || typeof child !== 'object') continue;
    const below = depthBelow(child, here, limit);
    if (below > deepest) {
      deepest = below;
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
};

/**
 * How deep a parsed JSON value nests, stopping past `limit`: the recursion goes at most
 * `limit + 1` calls deep, so a very deep value cannot overflow the stack. One walk of the
 * parsed value, allocating nothing for arrays (the walk ran on every body, docs/decisions.md).
 */
export const jsonDepth = (value: unknown, limit: number): number =>
  value === null || typeof value !== 'object' ? 0 : depthBelow(value, 0, limit);

/**
 * A parsed JSON body nested deeper than MAX_JSON_DEPTH is `malformed` (400), with the other
 * parse failures before authentication: the recursive code behind the edge (RFC 8785
 * canonicalisation of the idempotency fingerprint, zod) would otherwise overflow the stack (500).
 */
export const rejectDeepJson = (request: Request, response: Response, next: NextFunction): void => {
  if (jsonDepth(request.body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) sendProblem(response, malformed(`JSON bodies nest at most ${MAX_JSON_DEPTH} levels`));
  else next();
};
