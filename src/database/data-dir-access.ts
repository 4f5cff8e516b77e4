import { chmodSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { makeDirs } from '../common/make-dirs.js';

/**
 * Run as root, the embedded PostgreSQL runs as its own `postgres` user, which must be able to enter every directory
 * on the way to its data. Inside DATA_DIR (ours) a directory others cannot enter gets traverse-only permission
 * (o+x: enter, not list), which is safe; a directory above DATA_DIR is not ours to change, so the start stops with
 * one line that says what to do instead. A DATA_DIR that does not exist yet is made here (with the ordinary mode, then
 * opened like any other): made later, by the server's own 0700 mkdir, its first start as root failed.
 */
export function ensureTraversable(dir: string, dataDir: string): void {
  const root = resolve(dataDir);
  const ours = (d: string) => !relative(root, d).startsWith('..');
  const target = resolve(dir);
  makeDirs(root);
  repairDataDirMode(target);
  // The directories above the data directory, never the data directory itself: PostgreSQL refuses one that group or
  // others may enter (an earlier version made it 0701, and the second start failed).
  const chain: string[] = [];
  for (let d = dirname(target); ; d = dirname(d)) {
    chain.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain.reverse()) {
    let mode: number;
    try {
      mode = statSync(d).mode;
    } catch {
      continue; // created below, with the default mode
    }
    if (mode & 0o001) continue;
    if (ours(d)) chmodSync(d, (mode & 0o7777) | 0o001);
    else {
      throw new Error(
        `the embedded PostgreSQL runs as user "postgres" when started as root and cannot enter ${d}; ` +
          `choose a DATA_DIR under a directory others may enter (e.g. /var/lib/sokohub), run as another user, ` +
          `or set DATABASE_URL`,
      );
    }
  }
}

/**
 * PostgreSQL starts only on a data directory that is 0700 (or 0750): one an earlier start left with other bits is put
 * back. Nothing happens when it does not exist yet (initdb makes it 0700).
 */
export function repairDataDirMode(dir: string): void {
  let mode: number;
  try {
    mode = statSync(dir).mode & 0o7777;
  } catch {
    return;
  }
  if (mode & 0o027) chmodSync(dir, 0o700);
}
