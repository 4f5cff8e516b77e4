import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../lib/free-port.js';

/** Debian's PostgreSQL 15 server programs (package postgresql-15), installed with apt-get when missing. */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

function ensureBinaries(): void {
  if (existsSync(join(BIN, 'pg_ctl'))) return;
  console.log('installing postgresql-15 (apt-get) for the database scenarios');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql-15'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const asRoot = userInfo().uid === 0;

/** Runs a PostgreSQL program as the postgres user when we are root (PostgreSQL refuses to run as root). */
function run(program: string, args: string[], options: { allowFail?: boolean } = {}): string {
  const [cmd, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, program), ...args]]
    : [join(BIN, program), args];
  const res = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (res.status !== 0 && !options.allowFail)
    throw new Error(`${program} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
  return `${res.stdout}${res.stderr}`;
}

/**
 * One PostgreSQL 15 server under a temporary data directory and a free port, started and stopped by the scenario as
 * an operator would (pg_ctl), trust authentication on loopback only.
 */
export class PgServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(name: string, settings: Record<string, string> = {}): Promise<PgServer> {
    ensureBinaries();
    const server = new PgServer(dataDirFor(name), await freePort());
    const dir = server.dir;
    run('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    server.configure({ listen_addresses: "'127.0.0.1'", port: String(server.port), fsync: 'on', ...settings });
    return server;
  }

  /** A streaming standby of `primary`, made with pg_basebackup (-R writes its primary_conninfo). */
  static async standbyOf(primary: PgServer, name: string, settings: Record<string, string> = {}): Promise<PgServer> {
    const server = new PgServer(dataDirFor(name), await freePort());
    const dir = server.dir;
    run('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      dir,
      '-R',
      '-X',
      'stream',
      // An immediate checkpoint: the default spread one makes the copy wait minutes on an idle server.
      '-c',
      'fast',
    ]);
    server.configure({ port: String(server.port), ...settings });
    return server;
  }

  /** Appends settings to postgresql.conf (the last one wins). */
  configure(settings: Record<string, string>): void {
    const lines = Object.entries(settings).map(([k, v]) => `${k} = ${v}`);
    appendFileSync(join(this.dir, 'postgresql.conf'), `\n${lines.join('\n')}\n`);
  }

  allowReplication(): void {
    appendFileSync(join(this.dir, 'pg_hba.conf'), '\nhost replication all 127.0.0.1/32 trust\n');
  }

  start(): void {
    run('pg_ctl', ['-D', this.dir, '-l', join(this.dir, '..', 'server.log'), '-w', '-t', '60', 'start']);
  }

  /** fast: clients disconnected, data flushed (what a minor upgrade's restart does). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    run('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop'], { allowFail: true });
  }

  /** The postmaster's pid (SIGKILL it to lose the server as a dead disk or kernel would). */
  pid(): number {
    return Number(readFileSync(join(this.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  kill(): void {
    try {
      process.kill(this.pid(), 'SIGKILL');
    } catch {
      // already gone
    }
  }

  promote(): void {
    run('pg_ctl', ['-D', this.dir, '-w', 'promote']);
  }

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url(database), connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  log(): string {
    const file = join(this.dir, '..', 'server.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  destroy(): void {
    this.stop('immediate');
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }
}

/** `<tmp>/sokohub-<name>-XXXX/data`: its parent made for (and, as root, owned by) the postgres user. */
function dataDirFor(name: string): string {
  return join(postgresTempDir(name), 'data');
}

/** `<tmp>/sokohub-<name>-XXXX`, made for (and, as root, owned by) the postgres user, who runs the server programs. */
export function postgresTempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sokohub-${name}-`));
  chmodSync(dir, 0o755);
  if (asRoot) chownSync(dir, uid('postgres'), gid('postgres'));
  return dir;
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
