import { parse } from 'csv-parse/sync';
import { AppError } from '../errors/app-error.js';

/** A CSV with a header row as one object per line, keyed by the trimmed header (quoted fields, commas, UTF-8, BOM). */
export function csvRows(text: string): Record<string, string>[] {
  try {
    return parse<Record<string, string>>(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: false,
    });
  } catch (error) {
    const message = `CSV could not be read: ${error instanceof Error ? error.message : String(error)}`;
    throw AppError.validation(message, [{ field: 'file', message }]);
  }
}

/**
 * What an upload route was given: a CSV uploaded as `file`, a `text/csv` body (both read as rows), or JSON as it is.
 * `csv` says which, as a CSV's cells are all text and its extra columns are the file's, not the caller's mistake.
 */
export function uploadedRows(body: unknown, file?: { buffer: Buffer }): { rows: unknown; csv: boolean } {
  if (file) return { rows: csvRows(file.buffer.toString('utf8')), csv: true };
  if (typeof body === 'string') return { rows: csvRows(body), csv: true };
  return { rows: body, csv: false };
}
