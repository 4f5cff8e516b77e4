import { MikroORM } from '@mikro-orm/postgresql';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_ENTITIES } from '../../src/app.entities.js';
import { mikroOrmOptions } from '../../src/database/mikro-orm.options.js';
import { PgServer } from '../../scripts/reliability/pg-server.js';
import { bootApp } from '../support/test-app.js';
import { ADMIN_URL_ENV, adminQuery, createTestDatabase } from '../support/test-database.js';
import { sql } from '../support/webhook-helpers.js';

const adminRows = <T>(text: string): Promise<T[]> => adminQuery<T>(process.env[ADMIN_URL_ENV]!, text);

/** One statement through MikroORM's pool, as the app's and the scripts' configuration builds it. */
async function viaPool<T>(url: string, text: string): Promise<T> {
  const orm = await MikroORM.init(mikroOrmOptions(url, 1, 0, ALL_ENTITIES));
  try {
    return (await orm.em.getConnection().execute<T[]>(text))[0];
  } finally {
    await orm.close(true);
  }
}

/**
 * DATABASE_URL is read as libpq and pg read a connection string: what it says beyond host, port, user, password and
 * database reaches the pool (MikroORM's own URL reading dropped it, so `sslmode=require` connected in plain text).
 */
describe('DATABASE_URL is honoured whole (e2e)', () => {
  let db: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("gives the app's connections the URL's application_name", async () => {
    const name = `sokohub-e2e-${randomBytes(4).toString('hex')}`;
    const t = await bootApp({}, { databaseUrl: `${db.url}?application_name=${name}` });
    try {
      await t.http.get('/api/storefront/no-such-shop').expect(404);
      // The pool's own connection (the LISTEN connection is pg's, which always read the whole URL).
      expect(await sql(t.app, "select current_setting('application_name') as name")).toEqual([{ name }]);
    } finally {
      await t.close();
    }
  });

  it('connects through a socket directory given as ?host=, which a URL parser cannot read', async () => {
    const [{ dirs, port }] = await adminRows<{ dirs: string; port: string }>(
      "select current_setting('unix_socket_directories') as dirs, current_setting('port') as port",
    );
    const dir = dirs.split(',')[0].trim();
    expect(dir).toMatch(/^\//);
    const admin = new URL(db.url);
    const socketUrl =
      `postgresql://${admin.username}${admin.password ? `:${admin.password}` : ''}@` +
      `${admin.pathname}?host=${encodeURIComponent(dir)}&port=${port}`;
    const row = await viaPool<{ unix: boolean; db: string }>(
      socketUrl,
      'select inet_client_addr() is null as unix, current_database() as db',
    );
    expect(row).toEqual({ unix: true, db: admin.pathname.slice(1) });
  });

  it('keeps sslmode: require is refused by a server without TLS, not silently sent in plain text', async () => {
    const [{ ssl }] = await adminRows<{ ssl: string }>("select current_setting('ssl') as ssl");
    if (ssl === 'off') {
      await expect(viaPool(`${db.url}?sslmode=require`, 'select 1')).rejects.toThrow(/does not support SSL/);
    } else {
      const row = await viaPool<{ ssl: boolean }>(
        `${db.url}?sslmode=no-verify`,
        'select ssl from pg_stat_ssl where pid = pg_backend_pid()',
      );
      expect(row.ssl).toBe(true);
    }
  });
});

/** A PostgreSQL of its own with TLS on and a self-signed certificate, as a managed server with a private CA. */
describe('DATABASE_URL over TLS (e2e)', () => {
  let server: PgServer;
  let certificate: string;

  beforeAll(async () => {
    server = await PgServer.create('tls', { ssl: 'on' });
    // PostgreSQL's defaults: server.crt and server.key in the data directory, the key readable by its owner alone.
    certificate = join(server.dir, 'server.crt');
    const key = join(server.dir, 'server.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-days',
        '1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        certificate,
      ],
      { stdio: 'ignore' },
    );
    const owner = statSync(server.dir);
    for (const file of [certificate, key]) chownSync(file, owner.uid, owner.gid);
    chmodSync(key, 0o600);
    server.start();
  }, 60_000);
  afterAll(() => server.destroy());

  const encrypted = 'select ssl from pg_stat_ssl where pid = pg_backend_pid()';

  it('verifies the certificate for sslmode=require, as pg does: a certificate of no known CA is refused', async () => {
    await expect(viaPool(`${server.url()}?sslmode=require`, 'select 1')).rejects.toThrow(/self-signed certificate/);
  });

  it('connects encrypted and verified with the CA given as sslrootcert', async () => {
    const url = `${server.url()}?sslmode=verify-full&sslrootcert=${encodeURIComponent(certificate)}`;
    expect(await viaPool<{ ssl: boolean }>(url, encrypted)).toEqual({ ssl: true });
  });

  it('connects encrypted without verifying with sslmode=no-verify, and in plain text when the URL asks nothing', async () => {
    expect(await viaPool<{ ssl: boolean }>(`${server.url()}?sslmode=no-verify`, encrypted)).toEqual({ ssl: true });
    expect(await viaPool<{ ssl: boolean }>(server.url(), encrypted)).toEqual({ ssl: false });
  });
});
