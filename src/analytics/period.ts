import { NAIROBI } from '../common/time.js';
import { AppError } from '../errors/app-error.js';

/** A span of whole Nairobi calendar days, inclusive, and the span of equal length just before it. */
export interface DayRange {
  from: string;
  to: string;
  days: number;
  previousFrom: string;
  previousTo: string;
}

const DAY = 86_400_000;
/** Ten years: every series stays a bounded number of buckets. */
export const MAX_RANGE_DAYS = 3660;

/** Today's date in Africa/Nairobi, YYYY-MM-DD. */
export function nairobiToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: NAIROBI,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** `period=7d|30d|90d`: the last N days ending today (Nairobi); or explicit `from`/`to` dates, inclusive. */
export function resolveRange(input: { period?: string; from?: string; to?: string }, now: Date = new Date()): DayRange {
  let from: string;
  let to: string;
  if (input.from || input.to) {
    to = input.to ?? nairobiToday(now);
    from = input.from ?? shift(to, -29);
  } else {
    const days = Number((input.period ?? '30d').replace('d', ''));
    to = nairobiToday(now);
    from = shift(to, -(days - 1));
  }
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1;
  if (!(days >= 1))
    throw AppError.validation('from must be on or before to', [
      { field: 'from', message: 'from must be on or before to' },
    ]);
  if (days > MAX_RANGE_DAYS)
    throw AppError.validation(`a range covers at most ${MAX_RANGE_DAYS} days`, [
      { field: 'from', message: `a range covers at most ${MAX_RANGE_DAYS} days` },
    ]);
  return { from, to, days, previousFrom: shift(from, -days), previousTo: shift(from, -1) };
}

/** Percent change from `previous` to `current`, one decimal; null when there was nothing before. */
export function changePercent(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}
