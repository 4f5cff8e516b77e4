import { statement } from './prepared.js';

describe('prepared statements', () => {
  it('numbers the placeholders in order and names each distinct text once', () => {
    const s = statement('select * from t where a = ? and b = ?::int and c in (select ?)');
    expect(s.text).toBe('select * from t where a = $1 and b = $2::int and c in (select $3)');
    expect(s.name).toMatch(/^s_[0-9a-f]{16}$/);
    expect(statement('select * from t where a = ? and b = ?::int and c in (select ?)')).toBe(s);
    expect(statement('select * from t where a = ?').name).not.toBe(s.name);
  });
});
