import { freePort } from '../../scripts/lib/free-port.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { ADMIN_URL_ENV, adminQuery, migrate, TEMPLATE_ENV, withDatabase } from './test-database.js';

/**
 * One PostgreSQL per test run: DATABASE_URL's server when set, else an embedded one.
 * Migrations run once, into a template database that each test file copies.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = join(process.cwd(), '.data', 'test-postgres');
    mkdirSync(dir, { recursive: true });
    const server = await startEmbeddedPostgres(dir, await freePort());
    (globalThis as { __SOKOHUB_PG__?: { stop: () => Promise<void> } }).__SOKOHUB_PG__ = server;
    adminUrl = server.url('postgres');
  }
  const template = `sokohub_template_${process.pid}`;
  await adminQuery(adminUrl, `drop database if exists "${template}" with (force)`);
  await adminQuery(adminUrl, `create database "${template}"`);
  await migrate(withDatabase(adminUrl, template));
  process.env[ADMIN_URL_ENV] = adminUrl;
  process.env[TEMPLATE_ENV] = template;
}
