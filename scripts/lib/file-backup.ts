import { chownSync, cpSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';

/** What PostgreSQL rebuilds itself or must not find in a copy (its docs' list for base backups). */
const SKIP = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify']);
const EMPTY_DIRS = ['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp'];

/**
 * An online file-level backup of a server whose data directory is on this machine (the embedded one), with
 * PostgreSQL's low-level API: pg_backup_start, a copy of the data directory, pg_backup_stop, its backup_label, and
 * the WAL written meanwhile. No pg_dump needed, so it works whatever PostgreSQL version the embedded server is.
 * Restored by putting the copy where the data directory was: PostgreSQL replays the WAL to a consistent state.
 */
export async function fileBackup(url: string, dataDir: string, out: string): Promise<{ bytes: number; ms: number }> {
  const t0 = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const target = join(out, 'data');
  try {
    await client.query("select pg_backup_start('sokohub backup', true)");
    mkdirSync(target, { recursive: true, mode: 0o700 });
    for (const entry of readdirSync(dataDir))
      if (!SKIP.has(entry)) cpSync(join(dataDir, entry), join(target, entry), { recursive: true });
    const { rows } = await client.query<{ labelfile: string; spcmapfile: string | null }>(
      'select labelfile, spcmapfile from pg_backup_stop(false)',
    );
    writeFileSync(join(target, 'backup_label'), rows[0].labelfile);
    if (rows[0].spcmapfile) writeFileSync(join(target, 'tablespace_map'), rows[0].spcmapfile);
    for (const dir of EMPTY_DIRS) mkdirSync(join(target, dir), { recursive: true, mode: 0o700 });
    // The WAL from the backup's start to its stop (and a little after): recovery replays it to a consistent state.
    cpSync(join(dataDir, 'pg_wal'), join(target, 'pg_wal'), {
      recursive: true,
      filter: (src) => !basename(src).endsWith('.partial'),
    });
  } finally {
    await client.end();
  }
  // Owned like the original (the embedded server runs as "postgres" when started by root).
  const { uid, gid } = statSync(dataDir);
  chownTree(target, uid, gid);
  return { bytes: dirBytes(target), ms: Date.now() - t0 };
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chownTree(path, uid, gid);
    else chownSync(path, uid, gid);
  }
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}
