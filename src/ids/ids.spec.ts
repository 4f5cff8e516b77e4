import { isId, newId } from './ids.js';

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
