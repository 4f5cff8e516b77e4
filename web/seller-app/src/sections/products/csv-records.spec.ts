import { csvRecords } from './csv-records';

describe('csvRecords', () => {
  it('splits records and keeps each one’s line in the file (header = line 1)', () => {
    const { header, records } = csvRecords('name,priceKes\r\nKikoi,1200\r\n\r\nKiondo,2500\r\n');
    expect(header).toBe('name,priceKes');
    expect(records).toEqual([
      { text: 'Kikoi,1200', line: 2 },
      { text: 'Kiondo,2500', line: 4 },
    ]);
  });

  it('keeps a line break inside quotes in its record, and counts the lines it spans', () => {
    const { records } = csvRecords('\uFEFFname,description\n"Shuka","red,\nchecked"\nKikoi,"say ""hi"""\n');
    expect(records).toEqual([
      { text: '"Shuka","red,\nchecked"', line: 2 },
      { text: 'Kikoi,"say ""hi"""', line: 4 },
    ]);
  });

  it('has no records for a header alone, and an empty header for an empty file', () => {
    expect(csvRecords('name,priceKes\n')).toEqual({ header: 'name,priceKes', records: [] });
    expect(csvRecords('')).toEqual({ header: '', records: [] });
  });
});
