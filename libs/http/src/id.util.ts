import { findInvalidString } from '@app/integrity';
import { notFound } from '@app/problems';

// Any hex UUID Postgres accepts: a malformed id never reaches a query (it would be a 500 there).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** A path id that is not a UUID is 404, like a missing resource (SPEC.md). */
export const requireUuid = (id: string, detail?: string): string => {
  if (!isUuid(id)) throw notFound(detail);
  return id;
};

/** Looks a path id up; a malformed id and a missing row are the same 404, and a malformed one is never queried. */
export const findByIdOr404 = async <T>(id: string, find: (id: string) => Promise<T | null | undefined | false>, detail?: string): Promise<T> => {
  const found = isUuid(id) ? await find(id) : null;
  if (!found) throw notFound(detail);
  return found;
};

/** A path parameter that is a name, not a UUID (a policy pack id or version): one holding U+0000 or a lone surrogate names nothing, so 404. */
export const requirePathName = (name: string, detail?: string): string => {
  if (findInvalidString(name) !== null) throw notFound(detail);
  return name;
};
