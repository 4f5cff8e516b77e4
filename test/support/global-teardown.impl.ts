import { ADMIN_URL_ENV, adminQuery, TEMPLATE_ENV } from './test-database.js';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (adminUrl && template)
    await adminQuery(adminUrl, `drop database if exists "${template}" with (force)`).catch(() => undefined);
  await (globalThis as { __SOKOHUB_PG__?: { stop: () => Promise<void> } }).__SOKOHUB_PG__?.stop();
}
