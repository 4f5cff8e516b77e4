import { DayEnd, toBoolean, toDayEnd, toDayStart, toRfc3339Date } from './transforms.js';

describe('query transforms', () => {
  it('reads RFC 3339 date-times and plain dates, nothing Date.parse merely happens to read', () => {
    const read = (value: unknown) => toRfc3339Date({ value });
    expect(read('2025-06-01T00:00:00Z')).toEqual(new Date('2025-06-01T00:00:00Z'));
    expect(read('2025-06-01T03:00:00.250+03:00')).toEqual(new Date('2025-06-01T00:00:00.250Z'));
    expect(read('2025-06-01')).toEqual(new Date('2025-06-01T00:00:00Z'));
    for (const junk of ['0.5', 'June 1', '2025-02-30', '2025-06-01T24:61:00Z', '2025-06-01T10:00:00', '1e3', ''])
      expect(read(junk)).toBe(junk);
    expect(read(5)).toBe(5);
  });

  it("reads a range's plain dates as whole days on Nairobi's clock, date-times as given", () => {
    expect(toDayStart({ value: '2025-06-01' })).toEqual(new Date('2025-05-31T21:00:00Z'));
    const end = toDayEnd({ value: '2025-06-30' });
    expect(end).toBeInstanceOf(DayEnd);
    expect(end).toEqual(new DayEnd('2025-06-30T21:00:00Z'));
    const exact = toDayEnd({ value: '2025-06-30T23:59:59Z' });
    expect(exact).not.toBeInstanceOf(DayEnd);
    expect(exact).toEqual(new Date('2025-06-30T23:59:59Z'));
    for (const junk of ['2025-02-30', 'June 1', '0.5']) {
      expect(toDayStart({ value: junk })).toBe(junk);
      expect(toDayEnd({ value: junk })).toBe(junk);
    }
  });

  it('reads "true" and "false" only', () => {
    expect(toBoolean({ value: 'true' })).toBe(true);
    expect(toBoolean({ value: 'false' })).toBe(false);
    expect(toBoolean({ value: 'yes' })).toBe('yes');
  });
});
