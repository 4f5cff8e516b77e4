/** One CSV record (a product row) as the file had it, and the file line it starts on (the header is line 1). */
export interface CsvRecord {
  text: string;
  line: number;
}

/**
 * Splits a CSV file into its header and records without reading the fields (the API parses and checks them): a line
 * break inside a quoted field stays in its record. Blank lines are skipped; line numbers stay the file's, so an error
 * the API reports for a row can name the line the seller sees in their spreadsheet.
 */
export function csvRecords(text: string): { header: string; records: CsvRecord[] } {
  const records: CsvRecord[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let quoted = false;
  const push = (end: number) => {
    const record = text.slice(start, end).replace(/\r$/, '');
    if (record.trim() !== '') records.push({ text: record, line: startLine });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n') {
      line++;
      if (!quoted) {
        push(i);
        start = i + 1;
        startLine = line;
      }
    }
  }
  push(text.length);
  const [header, ...rows] = records;
  return { header: header?.text.replace(/^\uFEFF/, '') ?? '', records: rows };
}
