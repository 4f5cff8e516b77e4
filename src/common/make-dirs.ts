import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node's own `mkdirSync(dir, { recursive: true })` spins forever where a level cannot
 * be made although its parent exists (under /proc it answers ENOENT, and Node makes the parent and tries again), so a
 * DATA_DIR there hung the start at full CPU; here the first level that fails stops it, naming the directory.
 */
export function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !statSync(d, { throwIfNoEntry: false }); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, { mode });
    } catch (error) {
      // Made meanwhile by another process: that is what was wanted.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new Error(`cannot create the directory ${d}: ${(error as Error).message}`, { cause: error });
    }
  }
}
