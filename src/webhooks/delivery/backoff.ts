/**
 * Delay before the next attempt: the configured delay for this attempt (the last one repeats), jittered by ±20%
 * so that a receiver coming back up is not hit by every retry at once.
 */
export function retryDelayMs(attemptsMade: number, delaysMs: number[], random: () => number = Math.random): number {
  if (!delaysMs.length) return 0;
  const base = delaysMs[Math.min(attemptsMade - 1, delaysMs.length - 1)];
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`, capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, capMs: number, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), capMs);
}
