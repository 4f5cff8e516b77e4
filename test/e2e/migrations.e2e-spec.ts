import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS } from '../../migrations/index.js';
import { ALL_ENTITIES } from '../../src/app.entities.js';
import { applyMigrations, MIGRATION_LOCK } from '../../src/database/apply-migrations.js';
import { mikroOrmOptions } from '../../src/database/mikro-orm.options.js';
import { bootApp } from '../support/test-app.js';
import { ADMIN_URL_ENV, adminQuery, withDatabase } from '../support/test-database.js';

/** An empty database on the run's server for the enclosing describe block, dropped after it; its URL. */
function emptyDatabase(): string {
  const adminUrl = process.env[ADMIN_URL_ENV]!;
  const name = `sokohub_migrate_${randomBytes(5).toString('hex')}`;
  beforeAll(() => adminQuery(adminUrl, `create database "${name}"`));
  afterAll(() => adminQuery(adminUrl, `drop database if exists "${name}" with (force)`));
  return withDatabase(adminUrl, name);
}

/** An app started on an empty database, with a request statement timeout no migration could fit in. */
describe('Migrations at start are not held to DB_STATEMENT_TIMEOUT_MS (e2e)', () => {
  const url = emptyDatabase();

  it('applies every migration, however long each statement takes', async () => {
    const t = await bootApp({ DB_STATEMENT_TIMEOUT_MS: '1' }, { databaseUrl: url });
    await t.close();
    const rows = await adminQuery<{ n: number }>(url, 'select count(*)::int as n from mikro_orm_migrations');
    expect(rows[0].n).toBe(MIGRATIONS.length);
  });
});

/** Instances started together on an empty database (a first deploy, a scale-up during an upgrade). */
describe('Migrations applied by instances starting together (e2e)', () => {
  const url = emptyDatabase();

  it('take turns: every migration applied once, by one of them, and none of them fails', async () => {
    const orms = await Promise.all([1, 2, 3].map(() => MikroORM.init(mikroOrmOptions(url, 2, 0, ALL_ENTITIES))));
    try {
      const applied = await Promise.all(orms.map((orm) => applyMigrations(orm)));
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    } finally {
      await Promise.all(orms.map((orm) => orm.close(true)));
    }
    const rows = await adminQuery<{ name: string; n: number }>(
      url,
      'select name, count(*)::int as n from mikro_orm_migrations group by name having count(*) > 1',
    );
    expect(rows).toEqual([]);
  });

  it("waits for another instance's migrations longer than the pool's statement timeout", async () => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK})`);
    const orm = await MikroORM.init(mikroOrmOptions(url, 2, 200, ALL_ENTITIES));
    try {
      let settled = false;
      const applying = applyMigrations(orm).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(settled).toBe(false);
      await holder.end();
      await expect(applying).resolves.toEqual([]);
    } finally {
      await orm.close(true);
    }
  });
});
