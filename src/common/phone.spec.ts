import { normalizeKenyanPhone, toDarajaMsisdn } from './phone.js';

describe('normalizeKenyanPhone', () => {
  it.each([
    ['0712345678', '+254712345678'],
    ['0712 345 678', '+254712345678'],
    ['712345678', '+254712345678'],
    ['254712345678', '+254712345678'],
    ['+254712345678', '+254712345678'],
    ['+254-712-345-678', '+254712345678'],
    ['(+254) 712345678', '+254712345678'],
    ['0110123456', '+254110123456'],
    ['+254110123456', '+254110123456'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeKenyanPhone(input)).toBe(expected);
  });

  it.each(['', '12345', '0812345678', '+255712345678', '07123456789', 'phone', '+254 712 345 67a'])(
    'rejects %s',
    (input) => {
      expect(normalizeKenyanPhone(input)).toBeUndefined();
    },
  );

  it('drops the plus for Daraja', () => {
    expect(toDarajaMsisdn('+254712345678')).toBe('254712345678');
  });
});
