import { KENYAN_PHONE_PATTERN, normalizeKenyanPhone, phoneSearchText, toDarajaMsisdn } from './phone.js';

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

  it('documents exactly what it accepts: KENYAN_PHONE_PATTERN agrees with it on every input', () => {
    const pattern = new RegExp(KENYAN_PHONE_PATTERN);
    const fixed = [
      '0712345678',
      '+254 (712) 345.678',
      '+0712345678',
      '2547123456789',
      '+ 254 712 345 678',
      ' 0712345678 ',
    ];
    // Random strings over the characters that matter, seeded so a failure replays.
    const alphabet = '+0123456789 -().+01725';
    let seed = 20261203;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const random = Array.from({ length: 20_000 }, () =>
      Array.from({ length: 8 + Math.floor(next() * 10) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(
        '',
      ),
    );
    // Strings built to be valid, so both sides of the agreement are exercised.
    const built = Array.from(
      { length: 2_000 },
      (_, i) => `${['0', '+254 ', '254-', '(+254)', ''][i % 5]}7${String(i).padStart(8, '0')}`,
    );
    for (const input of [...fixed, ...random, ...built])
      expect([input, pattern.test(input)]).toEqual([input, normalizeKenyanPhone(input) !== undefined]);
  });

  it('drops the plus for Daraja', () => {
    expect(toDarajaMsisdn('+254712345678')).toBe('254712345678');
  });
});

describe('phoneSearchText', () => {
  it.each([
    ['0712345678', '+254712345678'],
    ['0712 345 678', '+254712345678'],
    ['254712345678', '+254712345678'],
    ['+254 712', '+254712'],
    ['0712', '+254712'],
    ['0110', '+254110'],
    ['712345678', '712345678'],
    ['345678', '345678'],
    ['0', '0'],
    ['Amina', 'Amina'],
    ['SKH-2026-00001', 'SKH-2026-00001'],
  ])('%s -> %s', (input, expected) => {
    expect(phoneSearchText(input)).toBe(expected);
  });
});
