import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading quote: a buyer's name or
 * address comes from the public storefront (OWASP's CSV injection advice). Our own values never start so, but for
 * the phone's "+254…", which is a plain number to a spreadsheet and left alone.
 */
export function neutralised(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^\+254\d{9}$/.test(value) ? `'${value}` : value;
}

/**
 * Kenya's clock (UTC+3 all year): what the seller's books and M-Pesa statements show, with its offset. Takes a Date
 * or the driver's text of a timestamptz (raw statements read them as text).
 */
export function nairobiTime(d: Date | string | null | undefined): string {
  if (!d) return '';
  return new Date(new Date(d).getTime() + 3 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+03:00');
}

/** A list's filters as an audit entry records them: what was set, dates as instants. */
export function filtersOf(query: object): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : (v as string | number | boolean)]),
  );
}

/**
 * Rows as a CSV download: a header line, UTF-8 with a byte-order mark (Excel reads "Wanjikũ" as written), streamed as
 * `rows` yields them. The first batch is read before anything is sent, so a database that is down answers in the
 * error envelope like any route; a later failure can only cut the download short (the headers are gone): `onError`
 * logs it and the connection is closed, so the client sees a broken transfer, never a truncated file that looks whole.
 */
export async function csvDownload<T extends Record<string, unknown>>(
  rows: AsyncIterable<T>,
  columns: readonly (keyof T & string)[],
  filename: string,
  onError: (error: Error) => void,
): Promise<StreamableFile> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* all(): AsyncGenerator<T> {
    if (first.done) return;
    yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const source = Readable.from(all());
  const out = stringify({ header: true, bom: true, columns: [...columns] });
  source.on('error', (error: Error) => out.destroy(error));
  const day = nairobiTime(new Date()).slice(0, 10);
  const file = new StreamableFile(source.pipe(out), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${filename}-${day}.csv"`,
  });
  // Past the first batch a failure is the server's, never the client's: Nest's default would answer a 400 "Bad
  // Request" in plain text if no byte had left yet. The connection is cut instead, as it is once bytes have left.
  file.setErrorHandler((error, res) => {
    onError(error);
    if (res.destroyed) return;
    if (res.destroy) res.destroy();
    else res.end();
  });
  return file;
}
