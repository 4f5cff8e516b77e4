import { sqlShape } from './sql-text.js';

describe('sqlShape: a statement as traced keeps no values', () => {
  it.each([
    [
      "select * from sellers where store_slug = 'amina-prints' limit 20",
      'select * from sellers where store_slug = ? limit ?',
    ],
    [
      "insert into customers (name, phone) values ('O''Brien', '+254712345678')",
      'insert into customers (name, phone) values (?, ?)',
    ],
    ["select E'a\\'b', 3.5, -2, 1e3", 'select ?, ?, ?, ?'],
    ['select json_array_elements_text(\'["prod_01"]\'::json)', 'select json_array_elements_text(?::json)'],
    ['select "t2"."col1", p.price_kes from t2', 'select "t2"."col1", p.price_kes from t2'],
    ['select $$secret$$', 'select ?'],
    [
      "update users set password_hash = '$argon2id$v=19$m=19456' where id = 'usr_01'",
      'update users set password_hash = ? where id = ?',
    ],
  ])('%s', (input, shape) => {
    expect(sqlShape(input)).toBe(shape);
  });
});
