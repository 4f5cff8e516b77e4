import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from '../src/config/env.validation.js';
import { dumpDatabase } from './lib/pg-dump.js';

/**
 * `npm run backup [-- <file>]`: a pg_dump (custom format) of the app's database while it runs, into
 * DATA_DIR/backups/sokohub-<UTC time>.dump unless a file is named. DATABASE_URL when set; otherwise the embedded
 * server of a running `npm start` (EMBEDDED_PG_PORT). Restore: see the README ("Backups and restore").
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = parseEnv(process.env);
  const url = config.databaseUrl ?? `postgresql://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/sokohub`;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, 'Z');
  const file = process.argv[2] ?? join(config.dataDir, 'backups', `sokohub-${stamp}.dump`);
  const { bytes, ms } = await dumpDatabase(url, file);
  console.log(`backup: ${file} (${(bytes / 1024).toFixed(0)} KiB in ${ms} ms)`);
}

main().catch((error: unknown) => {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!process.env.DATABASE_URL)
    console.error(
      'with the embedded server: start the app first (npm start), and use a pg_dump at least as new as its ' +
        'PostgreSQL (PG_BIN=/path/to/bin); or stop the app and copy DATA_DIR/postgres as a cold backup',
    );
  process.exit(1);
});
