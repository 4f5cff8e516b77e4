import type { MikroORM } from '@mikro-orm/postgresql';
import pg, { type Pool } from 'pg';

/** One lock for the whole schema: migrations are applied by one process at a time. */
export const MIGRATION_LOCK = "hashtextextended('sokohub:migrations', 0)";

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock on a connection of its own (the pool's settings,
 * outside the pool, so that the migrator's own connections are never short of one). Instances started together on one
 * database take turns, and the later ones find nothing left to apply; without it both applied the same migration and
 * one failed to start ("duplicate key value violates unique constraint pg_type_typname_nsp_index"). Returns the names
 * of the migrations this call applied.
 */
export async function applyMigrations(orm: MikroORM): Promise<string[]> {
  const pool: Pool = await orm.em.getConnection().getNativeClient();
  // Without the pool's statement_timeout: waiting for another instance's migrations is not a runaway statement. The
  // password is named: pg-pool keeps it out of a spread (not enumerable).
  const { options } = pool;
  const lock = new pg.Client({ ...options, password: options.password, statement_timeout: 0 });
  await lock.connect();
  try {
    await lock.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
    return (await orm.migrator.up()).map((m) => m.name);
  } finally {
    // Ending the session releases the lock, also when the migration failed.
    await lock.end();
  }
}
