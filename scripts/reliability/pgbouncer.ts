import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from '../lib/free-port.js';
import { postgresTempDir } from './pg-server.js';

/** Debian's PgBouncer (package pgbouncer, 1.18 on bookworm), installed with apt-get when missing. */
const BIN = '/usr/sbin/pgbouncer';

function ensureBinary(): void {
  if (existsSync(BIN)) return;
  console.log('installing pgbouncer (apt-get) for the pooler tests');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'pgbouncer'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/**
 * A PgBouncer in front of one PostgreSQL server, as a managed database's pooled endpoint is: every database of the
 * server by name, trust authentication on loopback, a small server pool, in session or transaction mode. It runs as
 * the postgres user when we are root (it refuses to run as root).
 */
export class PgBouncer {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(
    server: { port: number },
    mode: 'session' | 'transaction',
    poolSize = 4,
    name = 'pgbouncer',
  ): Promise<PgBouncer> {
    ensureBinary();
    const bouncer = new PgBouncer(postgresTempDir(name), await freePort());
    const dir = bouncer.dir;
    writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=127.0.0.1 port=${server.port}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${bouncer.port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(dir, 'userlist.txt')}`,
        `pool_mode = ${mode}`,
        `default_pool_size = ${poolSize}`,
        'max_client_conn = 500',
        // After a failed server login PgBouncer refuses everyone for this long (15 s by default).
        'server_login_retry = 1',
        `logfile = ${join(dir, 'pgbouncer.log')}`,
        `pidfile = ${join(dir, 'pgbouncer.pid')}`,
        '',
      ].join('\n'),
    );
    const [cmd, argv] =
      userInfo().uid === 0
        ? ['runuser', ['-u', 'postgres', '--', BIN, '-d', join(dir, 'pgbouncer.ini')]]
        : [BIN, ['-d', join(dir, 'pgbouncer.ini')]];
    // As root the files must be the postgres user's too (its log and pid file are written there).
    if (userInfo().uid === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    const res = spawnSync(cmd, argv, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`pgbouncer failed to start (${res.status}): ${res.stderr || res.stdout}`);
    await bouncer.listening();
    return bouncer;
  }

  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  log(): string {
    const file = join(this.dir, 'pgbouncer.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  stop(): void {
    try {
      process.kill(Number(readFileSync(join(this.dir, 'pgbouncer.pid'), 'utf8').trim()), 'SIGTERM');
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async listening(): Promise<void> {
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = createConnection({ host: '127.0.0.1', port: this.port }, () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (up) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`pgbouncer did not listen on ${this.port}: ${this.log()}`);
  }
}
