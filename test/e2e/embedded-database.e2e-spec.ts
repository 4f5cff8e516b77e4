import { chmodSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { fileBackup } from '../../scripts/lib/file-backup.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { resolveDatabase } from '../../src/database/database-server.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';

const sql = async <T = { n: number }>(url: string, text: string): Promise<T[]> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
};
const answer = async (url: string): Promise<number> => (await sql(url, 'select 1 as n'))[0].n;

/**
 * The embedded PostgreSQL `npm start` uses when DATABASE_URL is not set: it starts, stops and starts again on the
 * same DATA_DIR (as root too, where it runs as the postgres user), and a start that fails says why.
 */
describe('embedded PostgreSQL under DATA_DIR (e2e)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sokohub-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, stops and starts again on the same DATA_DIR; the data directory stays 0700', async () => {
    const config = { databaseUrl: undefined, dataDir, embeddedPgPort: await freePort() };
    for (let round = 0; round < 2; round++) {
      const db = await resolveDatabase(config, () => undefined);
      try {
        expect(await answer(db.url)).toBe(1);
        expect(statSync(join(dataDir, 'postgres')).mode & 0o777).toBe(0o700);
      } finally {
        await db.stop();
      }
    }
    // What the defective version left behind (0701): repaired on the next start.
    chmodSync(join(dataDir, 'postgres'), 0o701);
    const db = await resolveDatabase(config, () => undefined);
    try {
      expect(await answer(db.url)).toBe(1);
    } finally {
      await db.stop();
    }
  });

  it('says why it did not start, never "undefined"', async () => {
    const dir = join(dataDir, 'postgres');
    chmodSync(dir, 0o777);
    const failure = await startEmbeddedPostgres(dir, await freePort()).then(
      (server) => server.stop().then(() => 'started'),
      (error: unknown) => (error instanceof Error ? error.message : `not an Error: ${String(error)}`),
    );
    chmodSync(dir, 0o700);
    expect(failure).toMatch(/did not start/);
    expect(failure).toMatch(/permission/i);
    expect(failure).not.toMatch(/undefined/);
  });

  it("npm run backup's online copy of the running embedded server restores to a server that has the data", async () => {
    const config = { databaseUrl: undefined, dataDir, embeddedPgPort: await freePort() };
    const out = mkdtempSync(join(tmpdir(), 'sokohub-backup-'));
    let db = await resolveDatabase(config, () => undefined);
    try {
      await sql(db.url, 'create table kept (n int); insert into kept select generate_series(1, 500)');
      const admin = db.url.replace(/\/sokohub$/, '/postgres');
      // Writes go on while the copy is made: the backup is taken from a live server.
      const busy = sql(db.url, 'insert into kept select generate_series(501, 200000)');
      const { bytes } = await fileBackup(admin, join(dataDir, 'postgres'), out);
      await busy;
      expect(bytes).toBeGreaterThan(1_000_000);
      await sql(db.url, 'drop table kept');
    } finally {
      await db.stop();
    }
    // The restore: the copy goes where the data directory was, and the server is started as usual.
    renameSync(join(dataDir, 'postgres'), join(dataDir, 'postgres.old'));
    renameSync(join(out, 'data'), join(dataDir, 'postgres'));
    db = await resolveDatabase(config, () => undefined);
    try {
      const [{ n }] = await sql(db.url, 'select count(*)::int as n from kept where n <= 500');
      expect(n).toBe(500);
    } finally {
      await db.stop();
      rmSync(out, { recursive: true, force: true });
    }
  });
});
