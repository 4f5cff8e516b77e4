import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from '../src/config/env.validation.js';
import { fileBackup } from './lib/file-backup.js';
import { dumpDatabase } from './lib/pg-dump.js';

/**
 * `npm run backup [-- <path>]` while the app runs. With DATABASE_URL: a pg_dump (custom format) into
 * DATA_DIR/backups/sokohub-<UTC time>.dump. With the embedded server of a running `npm start`: an online file-level
 * copy of DATA_DIR/postgres into DATA_DIR/backups/sokohub-<UTC time>/ (no pg_dump of the embedded server's version
 * is needed). Restore: see the README ("Backups and restore").
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = parseEnv(process.env);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, 'Z');
  if (config.databaseUrl) {
    const file = process.argv[2] ?? join(config.dataDir, 'backups', `sokohub-${stamp}.dump`);
    const { bytes, ms } = await dumpDatabase(config.databaseUrl, file);
    console.log(`backup: ${file} (${(bytes / 1024).toFixed(0)} KiB in ${ms} ms)`);
    return;
  }
  const out = process.argv[2] ?? join(config.dataDir, 'backups', `sokohub-${stamp}`);
  const url = `postgresql://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/postgres`;
  const { bytes, ms } = await fileBackup(url, join(config.dataDir, 'postgres'), out);
  console.log(`backup: ${out}/data (${(bytes / 2 ** 20).toFixed(1)} MiB in ${ms} ms)`);
}

main().catch((error: unknown) => {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!process.env.DATABASE_URL)
    console.error('the embedded server is backed up while it runs: start the app first (npm start)');
  process.exit(1);
});
