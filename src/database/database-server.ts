import { join } from 'node:path';
import { AppConfig } from '../config/app-config.js';
import { ensureTraversable } from './data-dir-access.js';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres.js';
import { ensureServerDatabase } from './server-database.js';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL under DATA_DIR with a `sokohub` database. */
export async function resolveDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'embeddedPgPort'>,
  log: (line: string) => void,
): Promise<ResolvedDatabase> {
  if (config.databaseUrl) {
    await ensureServerDatabase(config.databaseUrl, log);
    return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const dir = join(config.dataDir, 'postgres');
  log(`DATABASE_URL is not set: using embedded PostgreSQL in ${dir} on port ${config.embeddedPgPort}`);
  if (process.getuid?.() === 0) ensureTraversable(dir, config.dataDir);
  const server = await startEmbeddedPostgres(dir, config.embeddedPgPort, (line) => {
    if (line.startsWith('reusing')) log(line);
  });
  await ensureDatabase(server.url('postgres'), 'sokohub');
  return { url: server.url('sokohub'), embedded: true, stop: server.stop };
}
