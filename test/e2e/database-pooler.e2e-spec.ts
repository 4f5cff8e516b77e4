import { PgBouncer } from '../../scripts/reliability/pgbouncer.js';
import { PgServer } from '../../scripts/reliability/pg-server.js';
import { registerSeller } from '../support/factories.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';

/**
 * DATABASE_URL pointing at a connection pooler, as a managed database's pooled endpoint does: Debian's PgBouncer (1.18)
 * in front of a PostgreSQL 15 server of this test's own, in session mode and in transaction mode.
 */
describe('behind a connection pooler (e2e, real PgBouncer)', () => {
  let server: PgServer;
  const bouncers: PgBouncer[] = [];
  let t: TestApp | undefined;

  beforeAll(async () => {
    server = await PgServer.create('pooler-server', { max_connections: '60' });
    server.start();
    for (const db of ['plain', 'session', 'transaction']) await server.query(`create database ${db}`);
  }, 120_000);
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  afterAll(() => {
    for (const b of bouncers) b.stop();
    server?.destroy();
  });

  // A session pooler gives each client connection a server connection of its own (the app's pool fits in it); a
  // transaction pooler shares a few among them all.
  const bouncer = async (mode: 'session' | 'transaction') => {
    const b = await PgBouncer.start(server, mode, mode === 'session' ? 25 : 3, `pgbouncer-${mode}`);
    bouncers.push(b);
    return b;
  };
  /** 24 buyers at once for 20 units, while the shop's list is read: the statements an order and a list send. */
  const rush = async (app: TestApp) => {
    const s = await registerSeller(app.http);
    const product = await createProduct(app.http, s, { name: 'Kikoi', priceKes: 800, stock: 20 });
    const placed = await Promise.all([
      ...Array.from({ length: 24 }, (_, i) =>
        app.http.post('/api/orders').send(
          orderBody(s, [{ productId: product.id, quantity: 1 }], {
            customerPhone: `0733${String(i).padStart(6, '0')}`,
            paymentMethod: 'CASH_ON_DELIVERY',
          }),
        ),
      ),
      ...Array.from({ length: 6 }, () => app.http.get('/api/products').set('Cookie', s.cookie)),
    ]);
    const statuses = placed.map((r) => r.status);
    expect(statuses.slice(24)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(0, 24).sort()).toEqual([...Array(20).fill(201), ...Array(4).fill(409)]);
    const refs = placed.filter((r) => r.status === 201).map((r) => r.body.referenceCode as string);
    expect(refs.map((r) => Number(r.slice(-5))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const left = await app.http.get(`/api/products/${product.id}`).set('Cookie', s.cookie).expect(200);
    expect(left.body.stock).toBe(0);
    return s;
  };

  it('without DATABASE_POOLER, refuses to start and says what to set (PgBouncer refuses the timeout parameter)', async () => {
    const b = await bouncer('session');
    await expect(bootApp({}, { databaseUrl: b.url('plain') })).rejects.toThrow(
      /answers like a connection pooler \(.*unsupported startup parameter: statement_timeout\): set DATABASE_POOLER=session or transaction/,
    );
  });

  it('in session mode: orders and lists as on the server, and the statement timeout still holds', async () => {
    const b = bouncers[0] ?? (await bouncer('session'));
    t = await bootApp(
      { DATABASE_POOLER: 'session', DB_STATEMENT_TIMEOUT_MS: '1500' },
      { databaseUrl: b.url('session') },
    );
    const s = await rush(t);
    // A lock held past the timeout: the statement is cancelled by the server (the SET each pooled connection made).
    const holder = new (await import('pg')).default.Client({ connectionString: server.url('session') });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table customers in access exclusive mode');
      const res = await t.http.get('/api/customers').set('Cookie', s.cookie);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, code: 'TIMEOUT' });
    } finally {
      await holder.end();
    }
  });

  it('in transaction mode: statements unnamed, migrations and LISTEN on DATABASE_DIRECT_URL; a refused database is a 503', async () => {
    const b = await bouncer('transaction');
    await server.query(`alter role postgres set statement_timeout = '10s'`);
    t = await bootApp(
      { DATABASE_POOLER: 'transaction', DATABASE_DIRECT_URL: server.url('transaction') },
      { databaseUrl: b.url('transaction') },
    );
    const s = await rush(t);
    // The app's LISTEN connection (session and member changes) is on the server itself, not the pooler.
    const listening = await server.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where application_name = 'sokohub-listener'
         and datname = 'transaction'`,
    );
    expect(listening[0].n).toBe(1);
    // The database stops taking connections (maintenance): the documented 503s, not a 500.
    await server.query(`alter database transaction allow_connections false`);
    await server.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = 'transaction'`);
    try {
      const health = await t.http.get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      await t.http.get('/health/ready').expect(503);
      const list = await t.http.get('/api/products').set('Cookie', s.cookie);
      expect(list.status).toBe(503);
      expect(list.body).toMatchObject({ success: false, code: 'UNAVAILABLE' });
      expect(list.headers['retry-after']).toBeDefined();
    } finally {
      await server.query(`alter database transaction allow_connections true`);
    }
    // Back once the server takes connections again (PgBouncer retries its login after server_login_retry).
    const end = Date.now() + 15_000;
    while ((await t.http.get('/health')).status !== 200 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 250));
    await t.http.get('/api/products').set('Cookie', s.cookie).expect(200);
  });

  it('refuses DATABASE_POOLER=transaction without DATABASE_DIRECT_URL, saying why', async () => {
    await expect(bootApp({ DATABASE_POOLER: 'transaction' }, { databaseUrl: server.url('plain') })).rejects.toThrow(
      /DATABASE_POOLER=transaction needs DATABASE_DIRECT_URL/,
    );
  });
});
