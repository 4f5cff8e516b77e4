import { SchedulerRegistry } from '@nestjs/schedule';
import { Value } from 'typebox/value';
import { registerSeller, type SellerSession } from '../support/factories.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createProduct, orderBody } from '../support/shop.js';
import { createEndpoint, publishOrders, sql } from '../support/webhook-helpers.js';
import { dataSchemaOf } from '../../src/events/event-docs.js';
import { DeliveryEngine } from '../../src/webhooks/delivery/delivery.engine.js';
import type { EventName } from '../../src/events/event-catalogue.js';

const ADMIN = 'operator-token-0123456789';

describe('Nothing lost while an endpoint is off (e2e, real receivers)', () => {
  let t: TestApp;
  let rx: Receiver;
  let seller: SellerSession;
  let fail: number | null;

  beforeAll(async () => {
    t = await bootApp({
      ADMIN_TOKEN: ADMIN,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_MAX_ATTEMPTS: '1',
      WEBHOOK_DISABLE_AFTER_FAILURES: '3',
      WEBHOOK_PARKED_MAX_PER_ENDPOINT: '50',
      WEBHOOK_WORKER_INTERVAL_MS: '100',
      WEBHOOK_TIMEOUT_MS: '1000',
    });
  });
  beforeEach(async () => {
    rx = await startReceiver();
    fail = null;
    rx.respond((_req, res) => void res.writeHead(fail ?? 200).end(fail ? 'down' : 'ok'));
    seller = await registerSeller(t.http);
  });
  afterEach(() => rx.close());
  afterAll(() => t.close());

  const get = async (id: string) =>
    (await t.http.get(`/api/webhooks/${id}`).set('Cookie', seller.cookie).expect(200)).body;
  const toggle = (id: string, body: Record<string, unknown>, query = '') =>
    t.http.patch(`/api/webhooks/${id}/toggle${query}`).set('Cookie', seller.cookie).send(body);
  const deliveries = async (id: string, query = '') =>
    (await t.http.get(`/api/webhooks/${id}/deliveries?limit=100${query}`).set('Cookie', seller.cookie).expect(200))
      .body;

  /** Three events that fail every attempt switch the endpoint off (WEBHOOK_DISABLE_AFTER_FAILURES=3). */
  async function knockOut(id: string, status = 500): Promise<void> {
    fail = status;
    for (let i = 0; i < (status === 410 ? 1 : 3); i++) {
      const before = rx.requests.length;
      await publishOrders(t.app, seller.sellerId);
      await waitFor(() => rx.requests.length > before, 5000, 'the failing attempt');
    }
    await waitFor(async () => (await get(id)).isActive === false, 5000, 'the switch-off');
  }

  it('parks the 50 events of an outage for an endpoint its failures switched off, and sends all 50 in order on re-enable', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await knockOut(wh.id);
    const sent = rx.requests.length;

    const outage = [];
    for (let i = 0; i < 50; i++) outage.push(...(await publishOrders(t.app, seller.sellerId)));
    const off = await get(wh.id);
    expect(off).toMatchObject({
      isActive: false,
      disabledBy: 'failures',
      disabledReason: '3 consecutive deliveries failed every attempt',
      parkedDeliveries: 50,
      droppedDeliveries: 0,
    });
    expect(off.disabledAt).toBeTruthy();
    expect((await deliveries(wh.id, '&status=PAUSED')).total).toBe(50);
    expect(rx.requests).toHaveLength(sent);

    fail = null;
    const on = await toggle(wh.id, { isActive: true }).expect(200);
    expect(on.body).toMatchObject({ isActive: true, disabledBy: null, disabledReason: null });
    await waitFor(() => rx.requests.length === sent + 50, 15_000, 'the 50 parked deliveries');
    const ids = rx.requests.slice(sent).map((r) => r.headers['x-sokohub-event-id']);
    expect(ids).toEqual(outage.map((e) => e.id));
    await waitFor(async () => (await get(wh.id)).parkedDeliveries === 0, 5000, 'an empty backlog');
    expect((await deliveries(wh.id, '&status=SUCCEEDED')).total).toBe(50);
    // The three that switched it off stay FAILED (recover sends them again on request); nothing was sent twice.
    expect((await deliveries(wh.id, '&status=FAILED')).total).toBe(3);
    expect(new Set(ids).size).toBe(50);
  });

  it('moves a backlog line on when an instance died between two of its deliveries', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await knockOut(wh.id);
    const outage = [];
    for (let i = 0; i < 3; i++) outage.push(...(await publishOrders(t.app, seller.sellerId)));
    fail = null;
    const sent = rx.requests.length;
    // As if switched back on by an instance that then died before making the first one due: nothing is in flight.
    await sql(t.app, 'update webhook_endpoints set is_active = true, disabled_by = null where id = ?', [wh.id]);
    await sql(
      t.app,
      `update webhook_deliveries set status = 'PENDING', backlog = true, next_attempt_at = 'infinity'
       where subscription_id = ? and status = 'PAUSED'`,
      [wh.id],
    );
    t.app.get(DeliveryEngine).forget('seller', wh.id);
    // The minute's heal is what this test calls by hand: held while the stalled line is observed, or a minute's
    // turn falling in the wait below would move it first.
    const cron = t.app.get(SchedulerRegistry).getCronJob('webhook-backlog-heal');
    await cron.stop();
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.requests).toHaveLength(sent);
      expect(await t.app.get(DeliveryEngine).healBacklogs()).toBe(1);
      await waitFor(() => rx.requests.length === sent + 3, 5000, 'the healed line');
    } finally {
      cron.start();
    }
    expect(rx.requests.slice(sent).map((r) => r.headers['x-sokohub-event-id'])).toEqual(outage.map((e) => e.id));
  });

  it('counts what goes past the per-endpoint cap as dropped, and discards the backlog when the seller asks', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await knockOut(wh.id, 410);
    expect((await get(wh.id)).disabledReason).toBe('The endpoint answered 410 Gone');
    for (let i = 0; i < 53; i++) await publishOrders(t.app, seller.sellerId);
    expect(await get(wh.id)).toMatchObject({ parkedDeliveries: 50, droppedDeliveries: 3, disabledBy: 'failures' });

    fail = null;
    const sent = rx.requests.length;
    await toggle(wh.id, { isActive: true }, '?backlog=discard').expect(200);
    expect(await get(wh.id)).toMatchObject({ isActive: true, parkedDeliveries: 0 });
    const discarded = await deliveries(wh.id, '&status=FAILED');
    expect(discarded.total).toBe(51);
    expect(discarded.data[0].lastError).toMatch(/^Discarded/);
    // Live again: the next event goes out at once, none of the discarded ones do.
    const [next] = await publishOrders(t.app, seller.sellerId);
    await waitFor(() => rx.requests.length === sent + 1, 5000, 'the next event');
    expect(rx.requests[sent].headers['x-sokohub-event-id']).toBe(next.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.requests).toHaveLength(sent + 1);

    const bad = await toggle(wh.id, { isActive: true, backlog: 'later' }).expect(400);
    expect(bad.body.message).toContain('backlog must be one of: deliver, discard');
  });

  it('parks the ORDER_CREATED of an order placed on the storefront while its failures keep the endpoint off', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await knockOut(wh.id);
    const product = await createProduct(t.http, seller, { stock: 5 });
    // Order placement's transaction runs on a connection of its own: the parking place is taken in it too.
    const placed = await t.http
      .post('/api/orders')
      .send(orderBody(seller, [{ productId: product.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    expect(await get(wh.id)).toMatchObject({ isActive: false, disabledBy: 'failures', parkedDeliveries: 1 });
    const parked = await deliveries(wh.id, '&status=PAUSED');
    expect(parked.total).toBe(1);
    fail = null;
    await toggle(wh.id, { isActive: true }).expect(200);
    await waitFor(
      () => rx.requests.some((r) => (r.json?.data as { orderId?: string } | undefined)?.orderId === placed.body.id),
      5000,
      'the parked order event',
    );
  });

  it('records nothing while the seller has switched an endpoint off by hand', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await toggle(wh.id, { isActive: false }).expect(200);
    await publishOrders(t.app, seller.sellerId, 3);
    expect(await get(wh.id)).toMatchObject({ isActive: false, disabledBy: 'seller', parkedDeliveries: 0 });
    expect((await deliveries(wh.id)).total).toBe(0);
    await toggle(wh.id, { isActive: true }).expect(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.requests).toHaveLength(0);

    // Switching off by hand an endpoint its failures had switched off ends the parking too.
    await knockOut(wh.id);
    await publishOrders(t.app, seller.sellerId);
    await toggle(wh.id, { isActive: false }).expect(200);
    await publishOrders(t.app, seller.sellerId);
    expect(await get(wh.id)).toMatchObject({ disabledBy: 'seller', parkedDeliveries: 1 });
  });

  it('sends a test to a switched-off endpoint, marked as a test, and never counts it toward auto-disable', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await toggle(wh.id, { isActive: false }).expect(200);
    const ok = await t.http.post(`/api/webhooks/${wh.id}/test`).set('Cookie', seller.cookie).expect(200);
    expect(ok.body).toMatchObject({ status: 'SUCCEEDED', test: true });
    expect(rx.requests[0].headers['x-sokohub-test']).toBe('true');
    expect(rx.requests[0].json).toMatchObject({ event: 'ORDER_CREATED', test: true });
    expect(Object.keys(rx.requests[0].json)).toEqual(['event', 'sellerId', 'timestamp', 'data', 'test']);

    await toggle(wh.id, { isActive: true }).expect(200);
    fail = 500;
    for (let i = 0; i < 4; i++) {
      const res = await t.http.post(`/api/webhooks/${wh.id}/test`).set('Cookie', seller.cookie).expect(200);
      expect(res.body).toMatchObject({ status: 'FAILED', test: true, lastStatusCode: 500 });
    }
    expect(await get(wh.id)).toMatchObject({ isActive: true });
    const [{ n }] = await sql<{ n: number }>(
      t.app,
      'select consecutive_failures as n from webhook_endpoints where id = ?',
      [wh.id],
    );
    expect(n).toBe(0);
    // Real events are not marked.
    fail = null;
    await publishOrders(t.app, seller.sellerId);
    const real = await waitFor(() => rx.requests.find((r) => !r.json.test), 5000, 'a real event');
    expect(real.headers['x-sokohub-test']).toBeUndefined();
  });

  it('a partner hook counts failures per URL: a dead URL stops alone, the healthy one keeps receiving, a PUT re-arms it', async () => {
    const company = (
      await t.http.post('/api/admin/partners').set('X-Admin-Token', ADMIN).send({ name: 'Duka Analytics' }).expect(201)
    ).body;
    await t.http.put(`/api/partner-access/${company.id}`).set('Cookie', seller.cookie).expect(200);
    const partner = { Authorization: `Bearer ${company.apiKey}` };
    rx.respond((req, res) => void res.writeHead(req.path === '/dead' ? 410 : 200).end());
    const hook = (
      await t.http
        .post('/api/v1/partner/webHooks')
        .set(partner)
        .send({ webHookUrls: [`${rx.url}/dead`, `${rx.url}/live`] })
        .expect(201)
    ).body;

    await publishOrders(t.app, seller.sellerId);
    await waitFor(
      () => rx.requests.filter((r) => r.path === '/dead').length === 1 && rx.requests.some((r) => r.path === '/live'),
      5000,
      'both URLs',
    );
    const fetched = await waitFor(
      async () => {
        const res = await t.http.get(`/api/v1/partner/webHooks/${hook.id}`).set(partner).expect(200);
        return res.body.disabledUrls.length === 1 && res.body;
      },
      5000,
      'the dead URL switched off',
    );
    expect(fetched).toMatchObject({
      disabled: false,
      disabledUrls: [{ url: `${rx.url}/dead`, reason: 'The URL answered 410 Gone' }],
    });

    for (let i = 0; i < 3; i++) await publishOrders(t.app, seller.sellerId);
    await waitFor(() => rx.requests.filter((r) => r.path === '/live').length === 4, 5000, 'the live URL');
    expect(rx.requests.filter((r) => r.path === '/dead')).toHaveLength(1);

    // The partner fixes the URL and PUTs the hook: it receives again.
    rx.respond((_req, res) => void res.writeHead(200).end());
    const put = await t.http.put(`/api/v1/partner/webHooks/${hook.id}`).set(partner).send(fetched).expect(200);
    expect(put.body).toMatchObject({ disabled: false, disabledUrls: [] });
    await publishOrders(t.app, seller.sellerId);
    await waitFor(() => rx.requests.filter((r) => r.path === '/dead').length === 2, 5000, 'the re-armed URL');
  });
});

describe('The event catalogue describes itself (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ ADMIN_TOKEN: ADMIN });
  });
  afterAll(() => t.close());

  it('GET /api/webhooks/events gives each event its description, the JSON Schema of data and an example body that matches it', async () => {
    const res = await t.http.get('/api/webhooks/events').expect(200);
    expect(res.body).toHaveLength(13);
    for (const doc of res.body) {
      expect(doc).toMatchObject({
        event: expect.any(String),
        description: expect.any(String),
        dataSchema: expect.any(String),
      });
      expect(doc.schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        additionalProperties: false,
      });
      expect(Object.keys(doc.example)).toEqual(['event', 'sellerId', 'timestamp', 'data']);
      expect(doc.example.event).toBe(doc.event);
      expect(Value.Check(doc.schema, doc.example.data)).toBe(true);
      expect(Value.Check(doc.schema, { ...doc.example.data, surprise: 1 })).toBe(false);
      expect(Value.Check(dataSchemaOf(doc.event as EventName), doc.example.data)).toBe(true);
    }
    const order = res.body.find((d: { event: string }) => d.event === 'ORDER_CREATED');
    expect(order.schema.required).toEqual([
      'orderId',
      'referenceCode',
      'status',
      'totalKes',
      'customerName',
      'customerPhone',
      'itemCount',
    ]);
  });

  it('the partner route gives the 11 types the same way, to a partner key only', async () => {
    await t.http.get('/api/v1/partner/webHooks/types').expect(401);
    const company = (
      await t.http.post('/api/admin/partners').set('X-Admin-Token', ADMIN).send({ name: 'Duka Analytics' }).expect(201)
    ).body;
    const res = await t.http
      .get('/api/v1/partner/webHooks/types')
      .set('Authorization', `Bearer ${company.apiKey}`)
      .expect(200);
    expect(res.body.map((d: { webHookType: string }) => d.webHookType)).toHaveLength(11);
    for (const doc of res.body) {
      expect(doc.description).toEqual(expect.any(String));
      expect(doc.events.length).toBeGreaterThan(0);
      expect(Object.keys(doc.example)).toEqual(['id', 'webHookType', 'shopId', 'companyId', 'created', 'data']);
      expect(Value.Check(doc.schema, doc.example.data)).toBe(true);
    }
  });
});
