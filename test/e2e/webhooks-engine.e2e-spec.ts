import { MikroORM } from '@mikro-orm/postgresql';
import { registerSeller, type SellerSession } from '../support/factories.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { bootApp } from '../support/test-app.js';
import { createEndpoint, publishOrders, sql } from '../support/webhook-helpers.js';
import { DeliveryStore } from '../../src/webhooks/delivery/delivery.store.js';
import { DeliveryEngine } from '../../src/webhooks/delivery/delivery.engine.js';

const FAST = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_RETRY_DELAYS_MS: '20',
  WEBHOOK_WORKER_INTERVAL_MS: '100',
  WEBHOOK_TIMEOUT_MS: '2000',
};

describe('Delivery engine (e2e): crashes, several instances, auto-disable, send-time SSRF', () => {
  let rx: Receiver;

  beforeEach(async () => {
    rx = await startReceiver();
  });
  afterEach(() => rx.close());

  it('re-sends deliveries a crashed worker had claimed once their lease expires', async () => {
    // Instance A claims (as a worker does) and "dies" before sending: its worker never runs.
    const a = await bootApp({ ...FAST, WEBHOOK_WORKER_ENABLED: 'false', WEBHOOK_LEASE_MS: '1500' });
    try {
      const seller = await registerSeller(a.http);
      await createEndpoint(a.http, seller, rx.url);
      const events = await publishOrders(a.app, seller.sellerId, 5);
      const claimed = await a.app.get(DeliveryStore).claim(a.app.get(MikroORM).em.fork(), 10, 1500, []);
      expect(claimed).toHaveLength(5);

      // Instance B on the same database: nothing is due until the lease runs out, then every event arrives.
      const b = await bootApp(FAST, { databaseUrl: a.databaseUrl });
      try {
        const claimedAt = Date.now();
        await waitFor(() => rx.requests.length === 5, 8000, 'the re-sent deliveries');
        expect(rx.requests[0].at - claimedAt).toBeGreaterThanOrEqual(1000);
        expect(new Set(rx.requests.map((r) => r.headers['x-sokohub-event-id']))).toEqual(
          new Set(events.map((e) => e.id)),
        );
        expect(rx.requests.every((r) => r.headers['x-sokohub-attempt'] === '1')).toBe(true);
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
    }
  });

  it('delivers a committed event even when the instance that committed it stops right away', async () => {
    const a = await bootApp({ ...FAST, WEBHOOK_WORKER_ENABLED: 'false' });
    const seller = await registerSeller(a.http);
    await createEndpoint(a.http, seller, rx.url);
    const [event] = await publishOrders(a.app, seller.sellerId);
    const b = await bootApp(FAST, { databaseUrl: a.databaseUrl });
    try {
      await a.app.close();
      const req = await waitFor(() => rx.requests[0], 5000);
      expect(req.headers['x-sokohub-event-id']).toBe(event.id);
    } finally {
      await b.close();
      await a.close().catch(() => undefined);
    }
  });

  it('shares one database between two instances without sending any delivery twice', async () => {
    const a = await bootApp({ ...FAST, WEBHOOK_BATCH_SIZE: '10' });
    const b = await bootApp({ ...FAST, WEBHOOK_BATCH_SIZE: '10' }, { databaseUrl: a.databaseUrl });
    try {
      const seller = await registerSeller(a.http);
      await createEndpoint(a.http, seller, rx.url);
      await createEndpoint(a.http, seller, `${rx.url}/second`);
      rx.respond((_req, res) => void setTimeout(() => res.writeHead(200).end(), 5));
      const batches = await Promise.all([
        publishOrders(a.app, seller.sellerId, 100),
        publishOrders(b.app, seller.sellerId, 100),
      ]);
      await waitFor(() => rx.requests.length >= 400, 20_000, '400 deliveries');
      await new Promise((r) => setTimeout(r, 300));
      const ids = rx.requests.map((r) => r.headers['x-sokohub-delivery-id']);
      expect(ids).toHaveLength(400);
      expect(new Set(ids).size).toBe(400);
      expect(new Set(rx.requests.map((r) => `${r.path} ${r.headers['x-sokohub-event-id']}`)).size).toBe(
        batches.flat().length * 2,
      );
      const [{ n }] = await sql<{ n: number }>(
        a.app,
        "select count(*)::int as n from webhook_deliveries where status <> 'SUCCEEDED'",
      );
      expect(n).toBe(0);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('disables an endpoint after 8 deliveries in a row failed every attempt, and a success in between resets the count', async () => {
    const t = await bootApp({ ...FAST, WEBHOOK_MAX_ATTEMPTS: '1' });
    try {
      const seller: SellerSession = await registerSeller(t.http);
      const wh = await createEndpoint(t.http, seller, rx.url);
      const get = () => t.http.get(`/api/webhooks/${wh.id}`).set('Cookie', seller.cookie).expect(200);
      let fail = true;
      rx.respond((_req, res) => void res.writeHead(fail ? 500 : 200).end());

      for (let i = 0; i < 7; i++) await publishOrders(t.app, seller.sellerId);
      await waitFor(() => rx.requests.length === 7, 5000);
      await waitFor(
        async () =>
          (
            await sql<{ n: number }>(t.app, 'select consecutive_failures as n from webhook_endpoints where id = ?', [
              wh.id,
            ])
          )[0].n === 7,
        5000,
      );
      fail = false;
      await publishOrders(t.app, seller.sellerId);
      await waitFor(
        async () =>
          (
            await sql<{ n: number }>(t.app, 'select consecutive_failures as n from webhook_endpoints where id = ?', [
              wh.id,
            ])
          )[0].n === 0,
        5000,
      );
      expect((await get()).body.isActive).toBe(true);

      fail = true;
      for (let i = 0; i < 8; i++) await publishOrders(t.app, seller.sellerId);
      const disabled = await waitFor(
        async () => ((await get()).body.isActive === false ? (await get()).body : undefined),
        5000,
      );
      expect(disabled.disabledReason).toBe('8 consecutive deliveries failed every attempt');
      expect(disabled.disabledAt).toBeTruthy();

      // Disabled by its failures: a later event is parked; enabling resets and sends it, before the next one.
      const before = rx.requests.length;
      const [parked] = await publishOrders(t.app, seller.sellerId);
      expect((await get()).body).toMatchObject({ parkedDeliveries: 1, disabledBy: 'failures' });
      fail = false;
      const on = await t.http
        .patch(`/api/webhooks/${wh.id}/toggle`)
        .set('Cookie', seller.cookie)
        .send({ isActive: true })
        .expect(200);
      expect(on.body).toMatchObject({ isActive: true, disabledReason: null });
      await waitFor(() => rx.requests.length === before + 1, 5000);
      expect(rx.requests[before].headers['x-sokohub-event-id']).toBe(parked.id);
      await publishOrders(t.app, seller.sellerId);
      await waitFor(() => rx.requests.length === before + 2, 5000);
      // The failed deliveries are all still there to be sent again.
      const failed = await t.http
        .get(`/api/webhooks/${wh.id}/deliveries?status=FAILED`)
        .set('Cookie', seller.cookie)
        .expect(200);
      expect(failed.body.total).toBe(15);
    } finally {
      await t.close();
    }
  });

  it('refuses at send time an address the endpoint resolves to now (loopback by IP or by name), even if it passed when saved', async () => {
    const t = await bootApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'false',
      WEBHOOK_RETRY_DELAYS_MS: '20',
      WEBHOOK_WORKER_INTERVAL_MS: '100',
    });
    try {
      const seller = await registerSeller(t.http);
      const wh = await createEndpoint(t.http, seller, 'https://8.8.8.8/hooks');
      // As if DNS had changed after saving (rebinding): point the stored endpoint at our loopback receiver.
      for (const url of [`http://127.0.0.1:${rx.port}/x`, `http://localhost:${rx.port}/x`]) {
        await sql(t.app, 'update webhook_endpoints set url = ? where id = ?', [url, wh.id]);
        await sql(t.app, 'delete from webhook_deliveries where subscription_id = ?', [wh.id]);
        await publishOrders(t.app, seller.sellerId);
        const failed = await waitFor(
          async () => {
            const [row] = await sql<{ status: string; last_error: string }>(
              t.app,
              'select status, last_error from webhook_deliveries where subscription_id = ?',
              [wh.id],
            );
            return row?.status === 'FAILED' && row;
          },
          8000,
          `the refusal of ${url}`,
        );
        expect(failed.last_error).toMatch(/private|not allowed|DNS lookup/i);
      }
      expect(rx.requests).toHaveLength(0);
      // The row says FAILED before the engine has finished its bookkeeping (the failure count): wait, don't race it.
      await waitFor(() => t.app.get(DeliveryEngine).activeCount === 0, 5000, 'the engine to go idle');
    } finally {
      await t.close();
    }
  });

  it('drains on shutdown: stops claiming and lets an in-flight send finish and be recorded', async () => {
    const t = await bootApp(FAST);
    const seller = await registerSeller(t.http);
    const wh = await createEndpoint(t.http, seller, rx.url);
    rx.respond((_req, res) => void setTimeout(() => res.writeHead(200).end('done'), 600));
    await publishOrders(t.app, seller.sellerId);
    await waitFor(() => rx.requests.length === 1, 5000);
    const databaseUrl = t.databaseUrl;
    await t.app.close(); // returns only after the in-flight send was recorded
    const other = await bootApp({ ...FAST, WEBHOOK_WORKER_ENABLED: 'false' }, { databaseUrl });
    try {
      const [row] = await sql<{ status: string; attempts: number }>(
        other.app,
        'select status, attempts from webhook_deliveries where subscription_id = ?',
        [wh.id],
      );
      expect(row).toEqual({ status: 'SUCCEEDED', attempts: 1 });
    } finally {
      await other.close();
      await t.close().catch(() => undefined);
    }
  });

  it('purges finished and parked deliveries older than the retention, and keeps queued ones', async () => {
    const t = await bootApp({ ...FAST, WEBHOOK_RETENTION_DAYS: '30' });
    try {
      const seller = await registerSeller(t.http);
      await createEndpoint(t.http, seller, rx.url);
      await publishOrders(t.app, seller.sellerId, 4);
      await waitFor(
        async () =>
          (
            await sql<{ n: number }>(
              t.app,
              "select count(*)::int as n from webhook_deliveries where status = 'SUCCEEDED'",
            )
          )[0].n === 4,
        5000,
      );
      await sql(t.app, "update webhook_deliveries set created_at = now() - interval '31 days'");
      await sql(t.app, "update webhook_events set occurred_at = now() - interval '31 days'");
      const ids = (await sql<{ id: string }>(t.app, 'select id from webhook_deliveries order by id')).map((r) => r.id);
      // One parked (goes with the retention) and one queued in a backlog (kept: it is about to be sent).
      await sql(t.app, "update webhook_deliveries set status = 'PAUSED' where id = ?", [ids[0]]);
      await sql(
        t.app,
        "update webhook_deliveries set status = 'PENDING', backlog = true, next_attempt_at = 'infinity' where id = ?",
        [ids[1]],
      );
      expect(await t.app.get(DeliveryEngine).purgeOld()).toBe(3);
      const [{ n }] = await sql<{ n: number }>(t.app, 'select count(*)::int as n from webhook_deliveries');
      expect(n).toBe(1);
      const [{ e }] = await sql<{ e: number }>(t.app, 'select count(*)::int as e from webhook_events');
      expect(e).toBe(1);
    } finally {
      await t.close();
    }
  });
});
