import { PgServer } from '../../scripts/reliability/pg-server.js';
import { registerSeller, type SellerSession } from '../support/factories.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';

const MAX_LAG_S = 3;

/**
 * DATABASE_READ_URL with a real streaming standby (Debian's PostgreSQL 15, started here): analytics and the storefront
 * listing read from it while it keeps up, go back to the primary when it lags past READ_REPLICA_MAX_LAG_S or stops,
 * and the caller's own writes are always read from the primary.
 */
describe('reads from a read replica (e2e, real primary and standby)', () => {
  let primary: PgServer;
  let standby: PgServer;
  let t: TestApp;
  let s: SellerSession;

  beforeAll(async () => {
    primary = await PgServer.create('replica-primary');
    primary.start();
    await primary.query('create database sokohub');
    standby = await PgServer.standbyOf(primary, 'replica-standby');
    standby.start();
    t = await bootApp(
      { DATABASE_READ_URL: standby.url('sokohub'), READ_REPLICA_MAX_LAG_S: String(MAX_LAG_S) },
      { databaseUrl: primary.url('sokohub') },
    );
    s = await registerSeller(t.http);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    standby?.destroy();
    primary?.destroy();
  });

  const orderCount = async () =>
    (await t.http.get('/api/analytics/overview?period=7d').set('Cookie', s.cookie).expect(200)).body.orderCount
      .value as number;
  const metric = async (name: string) => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };
  const replicaReads = async () => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    return Number(/^db_lagging_reads_total\{target="replica"\} (\S+)$/m.exec(text)?.[1] ?? 0);
  };
  const until = async (check: () => Promise<boolean>, what: string, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const placeOrder = async (productId: string) =>
    t.http.post('/api/orders').send(orderBody(s, [{ productId, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }));

  it('serves analytics from the standby while it keeps up, shows its lag on /metrics', async () => {
    const p = await createProduct(t.http, s, { priceKes: 700, stock: 100 });
    expect((await placeOrder(p.id)).status).toBe(201);
    await until(async () => (await metric('db_replica_in_use')) === 1, 'the replica in use');
    await until(async () => (await orderCount()) === 1, 'the standby to replay the order');
    const before = await replicaReads();
    expect(await orderCount()).toBe(1);
    expect(await replicaReads()).toBeGreaterThan(before);
    expect(await metric('db_replica_lag_seconds')).toBeGreaterThanOrEqual(0);
    // The caller's own write is read from the primary: a product just created is there at once.
    const fresh = await createProduct(t.http, s, { priceKes: 900, stock: 1 });
    await t.http.get(`/api/products/${fresh.id}`).set('Cookie', s.cookie).expect(200);
  });

  it('reads a stale answer from a replica that lags less than the limit, the primary once it lags more', async () => {
    const p = await createProduct(t.http, s, { priceKes: 500, stock: 100 });
    const start = await orderCount();
    await standby.query('select pg_wal_replay_pause()');
    try {
      expect((await placeOrder(p.id)).status).toBe(201);
      // Within the limit the replica still answers, a little behind: the proof the read went there.
      expect(await orderCount()).toBe(start);
      const later = await createProduct(t.http, s, { priceKes: 800, stock: 5 });
      await t.http.get(`/api/products/${later.id}`).set('Cookie', s.cookie).expect(200); // the seller's own read
      const storefront = await t.http.get(`/api/storefront/${s.storeSlug}/products?limit=100`).expect(200);
      const listed = storefront.body.data.map((x: { id: string }) => x.id);
      expect(listed).toContain(p.id);
      expect(listed).not.toContain(later.id);
      // Past READ_REPLICA_MAX_LAG_S: back to the primary, which has the order.
      await until(async () => (await metric('db_replica_in_use')) === 0, 'the replica to be left', 20_000);
      expect(await metric('db_replica_lag_seconds')).toBeGreaterThan(MAX_LAG_S);
      expect(await orderCount()).toBe(start + 1);
    } finally {
      await standby.query('select pg_wal_replay_resume()');
    }
    await until(async () => (await metric('db_replica_in_use')) === 1, 'the replica back in use', 20_000);
  });

  it('falls back to the primary when the standby stops, and answers all along', async () => {
    const count = await orderCount();
    standby.stop('immediate');
    // The very next read may still try the replica: it fails over to the primary inside the same request.
    expect(await orderCount()).toBe(count);
    await t.http.get(`/api/storefront/${s.storeSlug}/products`).expect(200);
    await until(async () => (await metric('db_replica_in_use')) === 0, 'the replica to be left');
    expect(await metric('db_replica_lag_seconds')).toBe(-1);
    expect(await orderCount()).toBe(count);
    standby.start();
    await until(async () => (await metric('db_replica_in_use')) === 1, 'the replica back in use', 30_000);
  });
});
