import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresChildren, postgresCpu, reapedChildrenCpu, waitForChildren } from './proc-cpu.js';

/**
 * pgbench as a baseline outside our code: a script run by `clients` connections for `seconds`, in its own process.
 * Reported: transactions a second, PostgreSQL's CPU per transaction over the run (every postgres process of the
 * server), and pgbench's own CPU as a share of the machine's cores it may use (`-j 2`).
 */
export interface PgbenchResult {
  tps: number;
  transactions: number;
  pgCpuUs: number;
  loadShare: number;
  failed: number;
}

export function pgbench(
  url: string,
  postmaster: number,
  script: string,
  opts: { clients: number; seconds: number; defines?: Record<string, number | string>; prepared?: boolean },
): PgbenchResult {
  const file = join(mkdtempSync(join(tmpdir(), 'sokohub-pgbench-')), 'script.sql');
  writeFileSync(file, script);
  const u = new URL(url);
  const args = [
    '-n',
    '-f',
    file,
    '-c',
    String(opts.clients),
    '-j',
    '2',
    '-T',
    String(opts.seconds),
    ...(opts.prepared ? ['-M', 'prepared'] : []),
    ...Object.entries(opts.defines ?? {}).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
    '-h',
    // A socket directory given as ?host= (as the app reads it): pgbench goes the same way as the app.
    u.searchParams.get('host') ?? u.hostname,
    '-p',
    u.port || '5432',
    '-U',
    decodeURIComponent(u.username || 'postgres'),
    u.pathname.slice(1),
  ];
  const load0 = reapedChildrenCpu();
  const children = postgresChildren(postmaster);
  const pg0 = postgresCpu(postmaster);
  const run = spawnSync('pgbench', args, {
    encoding: 'utf8',
    env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) },
  });
  // pgbench's backends are still exiting when it returns: read once they are gone (see waitForChildren).
  waitForChildren(postmaster, children);
  const pgCpu = postgresCpu(postmaster) - pg0;
  const loadCpu = reapedChildrenCpu() - load0;
  const tps = /tps = ([\d.]+)/.exec(run.stdout ?? '');
  const done = /number of transactions actually processed: (\d+)/.exec(run.stdout ?? '');
  const failed = /number of failed transactions: (\d+)/.exec(run.stdout ?? '');
  if (run.status !== 0 || !tps || !done) throw new Error(`pgbench failed: ${run.stderr || run.stdout}`);
  const transactions = Number(done[1]);
  return {
    tps: Math.round(Number(tps[1])),
    transactions,
    pgCpuUs: Math.round((pgCpu / transactions) * 1e6),
    loadShare: Math.round((loadCpu / opts.seconds) * 100) / 100,
    failed: failed ? Number(failed[1]) : 0,
  };
}
