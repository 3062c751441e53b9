import type { Request, Response } from 'express';

/** `"7"` → 7; anything else can never match, so it answers 409 version-conflict. */
export const parseIfMatch = (request: Request): number | undefined => {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header) ?? /^\s*(\d+)\s*$/.exec(header);
  return match ? Number(match[1]) : -1;
};

export const etagOf = (version: number): string => `"${version}"`;

export interface WriteResponse {
  status: number;
  body: unknown;
  etag?: string | null;
}

export const send = (response: Response, result: WriteResponse): unknown => {
  response.status(result.status);
  if (result.etag) response.setHeader('ETag', result.etag);
  return result.body;
};
