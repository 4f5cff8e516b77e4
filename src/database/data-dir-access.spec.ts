import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureTraversable } from './data-dir-access.js';

describe('ensureTraversable', () => {
  it('lets others enter (not list) a 0700 DATA_DIR and what is below it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sokohub-access-'));
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    ensureTraversable(join(dataDir, 'postgres'), dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o701);
  });

  it('makes a DATA_DIR that does not exist yet, enterable (a production start writes no dev secret first)', () => {
    const base = mkdtempSync(join(tmpdir(), 'sokohub-fresh-'));
    chmodSync(base, 0o755);
    const dataDir = join(base, 'data', 'dir');
    ensureTraversable(join(dataDir, 'postgres'), dataDir);
    expect(statSync(dataDir).mode & 0o001).toBe(0o001);
    expect(statSync(dirname(dataDir)).mode & 0o001).toBe(0o001);
  });

  it('does not touch a closed directory above DATA_DIR, and says what to change', () => {
    const closed = mkdtempSync(join(tmpdir(), 'sokohub-closed-'));
    const dataDir = join(closed, 'data');
    mkdirSync(dataDir);
    chmodSync(closed, 0o700);
    expect(() => ensureTraversable(join(dataDir, 'postgres'), dataDir)).toThrow(
      new RegExp(`cannot enter ${closed}; choose a DATA_DIR`),
    );
    expect(statSync(closed).mode & 0o777).toBe(0o700);
  });

  it("never opens the data directory itself, and repairs one an earlier start opened (PostgreSQL's 0700 rule)", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sokohub-access-'));
    const pgDir = join(dataDir, 'postgres');
    mkdirSync(pgDir, { mode: 0o700 });
    ensureTraversable(pgDir, dataDir);
    expect(statSync(pgDir).mode & 0o777).toBe(0o700);
    expect(statSync(dataDir).mode & 0o777).toBe(0o701);
    chmodSync(pgDir, 0o701);
    ensureTraversable(pgDir, dataDir);
    expect(statSync(pgDir).mode & 0o777).toBe(0o700);
  });
});
