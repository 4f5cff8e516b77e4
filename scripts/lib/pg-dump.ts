import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A PostgreSQL client program: $PG_BIN/<name>, else the newest Debian one (/usr/lib/postgresql/<n>/bin), else PATH. */
export function pgProgram(name: 'pg_dump' | 'pg_restore' | 'psql'): string {
  if (process.env.PG_BIN) return join(process.env.PG_BIN, name);
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length ? join(root, versions[0], 'bin', name) : name;
}

function run(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${program} exited ${code}: ${stderr.trim() || 'no message'}`)),
    );
  });
}

/**
 * A logical backup with pg_dump's custom format (compressed, restorable table by table): one consistent snapshot of
 * the whole database, taken when pg_dump starts, while the app keeps running.
 */
export async function dumpDatabase(url: string, file: string): Promise<{ file: string; bytes: number; ms: number }> {
  mkdirSync(dirname(file), { recursive: true });
  const t0 = Date.now();
  await run(pgProgram('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', '--file', file, url]);
  return { file, bytes: statSync(file).size, ms: Date.now() - t0 };
}

/** Restores a dump into an empty database (the target's migrations table comes from the dump). */
export async function restoreDatabase(file: string, url: string): Promise<void> {
  await run(pgProgram('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', '--dbname', url, file]);
}
