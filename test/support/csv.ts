import { parse } from 'csv-parse/sync';
import type TestAgent from 'supertest/lib/agent.js';

/** A CSV download, its body kept as the bytes sent (the byte-order mark included). */
export function downloadCsv(http: TestAgent, path: string, auth: [string, string]) {
  return http
    .get(path)
    .set(...auth)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

/** A downloaded CSV as one object per line, keyed by its header. */
export const csvRowsOf = (body: Buffer): Record<string, string>[] =>
  parse(body.toString('utf8'), { columns: true, bom: true });
