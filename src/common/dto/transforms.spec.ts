import { toBoolean, toRfc3339Date } from './transforms.js';

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

  it('reads "true" and "false" only', () => {
    expect(toBoolean({ value: 'true' })).toBe(true);
    expect(toBoolean({ value: 'false' })).toBe(false);
    expect(toBoolean({ value: 'yes' })).toBe('yes');
  });
});
