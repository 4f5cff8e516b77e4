import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU time from /proc (Linux), in seconds. A process's own time is utime + stime; the time of children it has
 * waited for is cutime + cstime. PostgreSQL's backends are children of the postmaster, which reaps them: its
 * cutime/cstime hold the backends that exited, and the live ones are read one by one, so a window's difference
 * counts every postgres process that ran in it, however short-lived.
 */
const TICK = 100; // clock ticks a second: USER_HZ on Linux

interface Stat {
  ppid: number;
  own: number;
  /** The kernel's part of `own` (system calls: sockets, wake-ups). */
  system: number;
  children: number;
}

function stat(pid: number | 'self'): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited between the listing and the read: its time is now in its parent's cutime
  }
  // Fields after "pid (comm) ": state ppid ... utime(11) stime(12) cutime(13) cstime(14), counted from state.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    ppid: Number(f[1]),
    system: Number(f[12]) / TICK,
    own: (Number(f[11]) + Number(f[12])) / TICK,
    children: (Number(f[13]) + Number(f[14])) / TICK,
  };
}

/** One process's own CPU seconds (all its threads). */
export function processCpu(pid: number): number {
  return stat(pid)?.own ?? NaN;
}

/** The kernel's share of one process's CPU seconds. */
export function processSystemCpu(pid: number): number {
  return stat(pid)?.system ?? NaN;
}

/** CPU seconds of the children this process has waited for (a load generator that has exited). */
export function reapedChildrenCpu(): number {
  return stat('self')!.children;
}

/** Every postgres process of one server: the postmaster, the children it reaped, and its live children. */
export function postgresCpu(postmasterPid: number): number {
  const root = stat(postmasterPid);
  if (!root) return NaN;
  return childrenOf(postmasterPid).reduce((total, s) => total + s.own + s.children, root.own + root.children);
}

/** How many processes the postmaster has now (backends, exited ones not yet reaped, background workers). */
export function postgresChildren(postmasterPid: number): number {
  return childrenOf(postmasterPid).length;
}

/** The live (or exited, not yet reaped) children of a process, from a scan of /proc. */
function childrenOf(pid: number): Stat[] {
  const found: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s?.ppid === pid) found.push(s);
  }
  return found;
}

/**
 * Waits (blocking, at most `timeoutMs`) until the postmaster has no more than `count` children: the backends of
 * clients that just disconnected have exited and been reaped, so their time is in its cutime. Read while they go, a
 * backend reaped between the postmaster's stat and the scan of /proc is counted nowhere (a pgbench run's 32
 * backends read so once gave 0 µs a statement).
 */
export function waitForChildren(postmasterPid: number, count: number, timeoutMs = 5_000): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (const end = Date.now() + timeoutMs; Date.now() < end && postgresChildren(postmasterPid) > count;)
    Atomics.wait(sleeper, 0, 0, 20);
}

/** The postmaster of the server behind `url` (on this host): the parent of the backend serving a connection. */
export async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const parent = stat(rows[0].pid)?.ppid;
    if (!parent) throw new Error('the database server is not on this host: its CPU cannot be read');
    return parent;
  } finally {
    await client.end();
  }
}
