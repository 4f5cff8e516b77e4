import { ALL_ENTITIES } from '../../src/app.entities.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { query as adminQuery } from '../../scripts/reliability/harness.js';
import { mikroOrmOptions } from '../../src/database/mikro-orm.options.js';

/** Set by the global setup: a superuser URL on the run's server, and the migrated template to copy. */
export const ADMIN_URL_ENV = 'SOKOHUB_TEST_ADMIN_URL';
export const TEMPLATE_ENV = 'SOKOHUB_TEST_TEMPLATE';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** One statement on its own connection to `url` (the run's server, or one database on it); its rows. */
export { adminQuery };

/** Applies every migration to `url` (used once per run, on the template). */
export async function migrate(url: string): Promise<void> {
  const orm = await MikroORM.init(mikroOrmOptions(url, 2, 0, ALL_ENTITIES));
  try {
    await orm.migrator.up();
  } finally {
    await orm.close(true);
  }
}

/** A fresh database for one test file, copied from the migrated template (milliseconds, not a migration run). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (!adminUrl || !template)
    throw new Error('e2e tests must run through jest (global setup provides the database server)');
  const name = `sokohub_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database "${name}" template "${template}"`);
  return {
    url: withDatabase(adminUrl, name),
    drop: async () => {
      await adminQuery(adminUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}
