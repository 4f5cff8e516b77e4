import { nairobiTime, neutralised } from './csv-download.js';

describe('CSV download cells', () => {
  it('puts a quote before what a spreadsheet would run as a formula, and leaves the rest as written', () => {
    for (const cell of ['=1+2', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '+254712'])
      expect(neutralised(cell)).toBe(`'${cell}`);
    for (const cell of ['+254712345678', 'Amina Wanjiku', 'Kilimani, Nairobi', '', '2 × Kikoi @ 1200', 'a=b'])
      expect(neutralised(cell)).toBe(cell);
  });

  it("writes an instant on Nairobi's clock with its offset, the same instant", () => {
    const at = new Date('2025-06-01T21:30:05.123Z');
    expect(nairobiTime(at)).toBe('2025-06-02T00:30:05+03:00');
    expect(Date.parse(nairobiTime(at))).toBe(Date.parse('2025-06-01T21:30:05Z'));
    expect(nairobiTime('2025-06-01 21:30:05.123456+00')).toBe('2025-06-02T00:30:05+03:00');
    expect(nairobiTime(null)).toBe('');
  });
});
