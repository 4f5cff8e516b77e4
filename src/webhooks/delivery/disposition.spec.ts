import { decide } from './disposition.js';

describe('decide', () => {
  const config = { retryDelaysMs: [30_000, 300_000], retryAfterCapMs: 3_600_000 };
  const mid = () => 0.5;
  const res = (statusCode: number | null, headers: Record<string, string> = {}) => ({ statusCode, headers });

  it('finishes on any 2xx', () => {
    expect(decide(res(204), 1, 3, config)).toEqual({
      disposition: { status: 'SUCCEEDED' },
      outcome: 'succeeded',
      sourceOutcome: 'succeeded',
    });
  });

  it('retries with growing delays, then fails after the last attempt', () => {
    expect(decide(res(500), 1, 3, config, mid)).toEqual({
      disposition: { status: 'PENDING', retryInMs: 30_000 },
      outcome: 'retrying',
    });
    expect(decide(res(null), 2, 3, config, mid)).toEqual({
      disposition: { status: 'PENDING', retryInMs: 300_000 },
      outcome: 'retrying',
    });
    expect(decide(res(500), 3, 3, config, mid)).toEqual({
      disposition: { status: 'FAILED' },
      outcome: 'failed',
      sourceOutcome: 'exhausted',
    });
  });

  it('treats redirects as failures (they are not followed)', () => {
    expect(decide(res(301), 1, 3, config, mid).outcome).toBe('retrying');
  });

  it('honours Retry-After on 429 and 503 only, up to the cap', () => {
    expect(decide(res(429, { 'retry-after': '7' }), 1, 3, config, mid).disposition).toEqual({
      status: 'PENDING',
      retryInMs: 7_000,
    });
    expect(decide(res(503, { 'retry-after': '99999' }), 1, 3, config, mid).disposition).toEqual({
      status: 'PENDING',
      retryInMs: 3_600_000,
    });
    expect(decide(res(500, { 'retry-after': '7' }), 1, 3, config, mid).disposition).toEqual({
      status: 'PENDING',
      retryInMs: 30_000,
    });
  });

  it('gives up at once on 410 Gone', () => {
    expect(decide(res(410), 1, 3, config)).toEqual({
      disposition: { status: 'FAILED' },
      outcome: 'gone',
      sourceOutcome: 'gone',
    });
  });
});
