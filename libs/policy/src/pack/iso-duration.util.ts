// Years and months are rejected: their length in milliseconds depends on the calendar date they
// start from, and a deadline must mean the same span whenever it opens. Weeks, days, hours,
// minutes and (fractional) seconds have fixed lengths (days as 24 h, as Postgres intervals do).
const ISO_DURATION = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The pattern accepted by `parseIsoDuration`, for JSON Schema. */
export const ISO_DURATION_PATTERN = ISO_DURATION.source;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/**
 * Milliseconds in an ISO 8601 duration such as `P5D`, `P1W`, `PT36H` or `PT1.5S`.
 * Throws a `RangeError` for anything else, including years and months (`P1Y`, `P1M`).
 */
export const parseIsoDuration = (s: string): number => {
  const match = ISO_DURATION.exec(s);
  if (!match) throw new RangeError(`not a supported ISO 8601 duration (W, D, H, M, S): ${JSON.stringify(s)}`);
  const [, weeks, days, hours, minutes, seconds] = match;
  const n = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  return Math.round(n(weeks) * WEEK + n(days) * DAY + n(hours) * HOUR + n(minutes) * MINUTE + n(seconds) * SECOND);
};

/** True when `parseIsoDuration` accepts `s`. */
export const isIsoDuration = (s: string): boolean => ISO_DURATION.test(s);
