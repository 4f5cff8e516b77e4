/**
 * Query strings and multipart fields arrive as strings: "true"/"false" become booleans; anything else is left for the
 * validator to refuse.
 */
export const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Numbers from multipart or CSV are strings; JSON numbers pass as they are. Blank means absent. */
export const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value)) : value;

/** A blank string (a CSV's empty cell, a cleared form field) is absent; others are trimmed. */
export const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * An RFC 3339 date-time ("2025-06-01T00:00:00Z", "2025-06-01T03:00:00+03:00") or a plain date ("2025-06-01", UTC
 * midnight) becomes a Date; anything else stays as it came, for the validator to refuse. `Date.parse` alone would read
 * "0.5" as a day in 2000 and "June 1" as a date in 2001.
 */
export const toRfc3339Date = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const m = RFC3339.exec(value);
  if (!m) return value;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  // A real calendar date and clock time (2025-02-30 and 24:61 are refused, not rolled over).
  const probe = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (
    probe.getUTCFullYear() !== Number(y) ||
    probe.getUTCMonth() !== Number(mo) - 1 ||
    probe.getUTCDate() !== Number(d) ||
    probe.getUTCHours() !== Number(h) ||
    probe.getUTCMinutes() !== Number(mi) ||
    probe.getUTCSeconds() !== Number(s)
  )
    return value;
  const date = new Date(m[4] ? value.replace(' ', 'T') : `${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : date;
};

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Nairobi's offset all year: a seller's "1 June" is that day on their clock, as the analytics count days. */
const NAIROBI = '+03:00';

/** The end of a range given as a plain date: the next Nairobi midnight, compared with `<` (the whole day counts). */
export class DayEnd extends Date {}

/** A range's start: a date-time as given, a plain date from its Nairobi midnight (an impossible one left to refuse). */
export const toDayStart = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string' || !PLAIN_DATE.test(value)) return toRfc3339Date({ value });
  const start = toRfc3339Date({ value: `${value}T00:00:00${NAIROBI}` });
  return start instanceof Date ? start : value;
};

/** A range's end: a date-time as given (inclusive), a plain date through its last instant in Nairobi (a DayEnd). */
export const toDayEnd = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string' || !PLAIN_DATE.test(value)) return toRfc3339Date({ value });
  const start = toDayStart({ value });
  return start instanceof Date ? new DayEnd(start.getTime() + 86_400_000) : start;
};
