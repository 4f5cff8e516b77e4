import { changePercent, MAX_RANGE_DAYS, nairobiToday, resolveRange } from './period.js';

describe('analytics periods', () => {
  // 2025-06-10 22:30 UTC is already 2025-06-11 in Nairobi (UTC+3).
  const now = new Date('2025-06-10T22:30:00Z');

  it('uses Nairobi dates', () => {
    expect(nairobiToday(now)).toBe('2025-06-11');
  });

  it('turns a period into N days ending today, and the N days before', () => {
    expect(resolveRange({ period: '7d' }, now)).toEqual({
      from: '2025-06-05',
      to: '2025-06-11',
      days: 7,
      previousFrom: '2025-05-29',
      previousTo: '2025-06-04',
    });
    expect(resolveRange({}, now)).toMatchObject({ days: 30, to: '2025-06-11', from: '2025-05-13' });
  });

  it('takes explicit inclusive dates', () => {
    expect(resolveRange({ from: '2025-03-01', to: '2025-03-31' }, now)).toEqual({
      from: '2025-03-01',
      to: '2025-03-31',
      days: 31,
      previousFrom: '2025-01-29',
      previousTo: '2025-02-28',
    });
  });

  it('refuses a range that ends before it starts, or spans more than ten years', () => {
    expect(() => resolveRange({ from: '2025-03-02', to: '2025-03-01' }, now)).toThrow('from must be on or before to');
    expect(() => resolveRange({ from: '2000-01-01', to: '2025-03-01' }, now)).toThrow(`at most ${MAX_RANGE_DAYS} days`);
    expect(resolveRange({ from: '2025-03-01', to: '2025-03-01' }, now).days).toBe(1);
  });

  it('computes change in percent, null from nothing', () => {
    expect(changePercent(150, 100)).toBe(50);
    expect(changePercent(50, 150)).toBe(-66.7);
    expect(changePercent(10, 0)).toBeNull();
  });
});
