import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { ensureDatabase } from './embedded-postgres.js';

/** PostgreSQL's SQLSTATEs this needs: the database named does not exist; the role may not create one. */
const INVALID_CATALOG_NAME = '3D000';
const INSUFFICIENT_PRIVILEGE = '42501';
const DUPLICATE_DATABASE = '42P04';

function sqlState(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

/** The role pg connects as: the URL's, else PGUSER, else the OS user (what pg.Client itself settles on). */
function roleOf(config: pg.ClientConfig): string {
  return new pg.Client(config).user ?? '';
}

async function canConnect(config: pg.ClientConfig): Promise<boolean> {
  const client = new pg.Client(config);
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (sqlState(error) === INVALID_CATALOG_NAME) return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Before the app starts on `DATABASE_URL`: a database the URL names that does not exist is created (as MikroORM would,
 * so `DATABASE_URL=…/sokohub npm start` works on a fresh server) and said so in the log, where a typo in the URL shows;
 * where the role may not create it, the start fails saying the database does not exist (MikroORM's own attempt said
 * only "permission denied to create database"). Any other connection problem is left to the app's start to report.
 */
export async function ensureServerDatabase(url: string, log: (line: string) => void): Promise<void> {
  const config = parseIntoClientConfig(url);
  const name = config.database;
  try {
    if (!name || (await canConnect(config))) return;
  } catch {
    return;
  }
  const where = `${config.host || 'localhost'}${config.port ? `:${config.port}` : ''}`;
  const missing = (why: string, cause: unknown) =>
    new Error(`database "${name}" does not exist on ${where}, ${why}: create it (createdb) or correct DATABASE_URL`, {
      cause,
    });
  for (const maintenance of ['postgres', 'template1']) {
    try {
      if (await ensureDatabase({ ...config, database: maintenance }, name))
        log(`database "${name}" did not exist on ${where}: created it (check DATABASE_URL if that was not meant)`);
      return;
    } catch (error) {
      // No such maintenance database: try the next one.
      if (sqlState(error) === INVALID_CATALOG_NAME) continue;
      if (sqlState(error) === INSUFFICIENT_PRIVILEGE)
        throw missing(`and role "${roleOf(config)}" may not create it`, error);
      // Created meanwhile by another instance starting at the same time.
      if (sqlState(error) === DUPLICATE_DATABASE) return;
      throw missing(`could not be created: ${(error as Error).message}`, error);
    }
  }
}
