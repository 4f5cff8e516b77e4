import { KeyedLimiter } from './keyed-limiter.js';

function fill(l: KeyedLimiter, key: string): number {
  let n = 0;
  while (l.tryAcquire(key)) n++;
  return n;
}

describe('KeyedLimiter', () => {
  it('grows a healthy, busy receiver up to the bound, one step per send finished at the limit', () => {
    const l = new KeyedLimiter(4, 10);
    for (let round = 0; round < 20; round++) {
      const n = fill(l, 'a');
      for (let i = 0; i < n; i++) l.release('a', { ms: 200, ok: true });
    }
    expect(l.limitOf('a')).toBe(10);
    expect(fill(l, 'a')).toBe(10);
    expect(l.saturated()).toEqual(['a']);
  });

  it('halves on failures down to one, and backs off when latency climbs far above its best', () => {
    const l = new KeyedLimiter(8, 16);
    fill(l, 'b');
    l.release('b', { ms: 10_000, ok: false });
    expect(l.limitOf('b')).toBe(4);
    for (let i = 0; i < 5; i++) l.release('b', { ms: 0, ok: false });
    expect(l.limitOf('b')).toBe(1);

    const c = new KeyedLimiter(8, 16);
    c.tryAcquire('c');
    c.release('c', { ms: 20, ok: true });
    for (let i = 0; i < 10; i++) {
      c.tryAcquire('c');
      c.release('c', { ms: 900, ok: true });
    }
    expect(c.limitOf('c')).toBeLessThan(8);
  });

  it('keeps keys apart: one at its limit does not stop another', () => {
    const l = new KeyedLimiter(2, 2);
    expect(fill(l, 'x')).toBe(2);
    expect(l.tryAcquire('y')).toBe(true);
    l.release('x');
    expect(l.tryAcquire('x')).toBe(true);
  });

  it('shares all slots: alone all but a reserve, with others in flight an equal share, then all again', () => {
    const l = new KeyedLimiter(64, 64, 64);
    expect(fill(l, 'a')).toBe(56);
    // b arrives: it may start at once (the reserve), and a's share drops to half.
    expect(fill(l, 'b')).toBe(32);
    expect(l.tryAcquire('a')).toBe(false);
    for (let i = 0; i < 25; i++) l.release('a');
    expect(fill(l, 'a')).toBe(1);
    expect(l.saturated().sort()).toEqual(['a', 'b']);
    // b is done: a may grow back to all but the reserve.
    for (let i = 0; i < 32; i++) l.release('b');
    expect(fill(l, 'a')).toBe(56 - 32);
    expect(l.saturated()).toEqual(['a']);
  });
});
