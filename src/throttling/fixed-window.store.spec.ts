import { FixedWindowStore } from './fixed-window.store.js';

describe('FixedWindowStore', () => {
  const store = new FixedWindowStore();

  it('counts hits in a window, blocks past the limit for the block duration, then starts a new window', () => {
    const t0 = 1_000_000;
    for (let i = 1; i <= 3; i++)
      expect(store.hit('a', 60_000, 3, 60_000, t0 + i)).toMatchObject({ totalHits: i, isBlocked: false });
    expect(store.hit('a', 60_000, 3, 60_000, t0 + 10)).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    // Blocked hits are not counted again, and another key is untouched.
    expect(store.hit('a', 60_000, 3, 60_000, t0 + 20)).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(store.hit('b', 60_000, 3, 60_000, t0 + 20)).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(store.hit('a', 60_000, 3, 60_000, t0 + 60_011)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('sweeps ended windows so memory follows active clients', () => {
    const s = new FixedWindowStore();
    for (let i = 0; i < 1000; i++) s.hit(`k${i}`, 1000, 10, 1000, 1);
    expect(s.size).toBe(1000);
    s.sweep(1000);
    expect(s.size).toBe(1000);
    s.sweep(1001);
    expect(s.size).toBe(0);
  });
});
