import { retryAfterMs, retryDelayMs } from './backoff.js';

describe('retryDelayMs', () => {
  it('grows with the attempts and repeats the last delay', () => {
    const mid = () => 0.5;
    expect(retryDelayMs(1, [30_000, 300_000], mid)).toBe(30_000);
    expect(retryDelayMs(2, [30_000, 300_000], mid)).toBe(300_000);
    expect(retryDelayMs(5, [30_000, 300_000], mid)).toBe(300_000);
  });

  it('jitters within ±20%', () => {
    expect(retryDelayMs(1, [10_000], () => 0)).toBe(8_000);
    expect(retryDelayMs(1, [10_000], () => 0.999999)).toBe(12_000);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads seconds and HTTP dates, capped', () => {
    expect(retryAfterMs('120', 3_600_000, now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:01:00 GMT', 3_600_000, now)).toBe(60_000);
    expect(retryAfterMs('999999', 3_600_000, now)).toBe(3_600_000);
  });

  it('ignores absent or unreadable values', () => {
    expect(retryAfterMs(undefined, 1000, now)).toBeUndefined();
    expect(retryAfterMs('soon', 1000, now)).toBeUndefined();
  });
});
