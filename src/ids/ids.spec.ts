import { isId, newId, pooledRandom } from './ids.js';

describe('newId', () => {
  it('prefixes a lower-case ULID', () => {
    const id = newId('seller');
    expect(id).toMatch(/^sel_[0-9a-z]{26}$/);
    expect(isId('seller', id)).toBe(true);
  });

  it('is unique and sorts by creation', () => {
    const ids = Array.from({ length: 1000 }, () => newId('order'));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
  });

  it('rejects ids of another kind or shape', () => {
    expect(isId('seller', newId('user'))).toBe(false);
    expect(isId('seller', 'sel_123')).toBe(false);
    expect(isId('seller', `sel_${'U'.repeat(26)}`)).toBe(false);
  });
});

describe('pooledRandom', () => {
  it('gives byte/256 values, every one of the 256 over a few pools, each about equally often', () => {
    const counts = new Array<number>(256).fill(0);
    const n = 256 * 400;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = pooledRandom();
      if (!(x >= 0 && x < 1) || !Number.isInteger(x * 256)) outside++;
      else counts[x * 256]++;
    }
    expect(outside).toBe(0);
    // 400 expected per value; a fair source stays well inside 250..550 (over 7 standard deviations).
    expect(Math.min(...counts)).toBeGreaterThan(250);
    expect(Math.max(...counts)).toBeLessThan(550);
  });

  it('spreads ids over the whole alphabet in the random part', () => {
    const letters = new Set(Array.from({ length: 200 }, () => newId('order').slice(-16)).join(''));
    expect(letters.size).toBe(32);
  });
});
