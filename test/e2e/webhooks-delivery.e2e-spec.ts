import { Webhook } from 'standardwebhooks';
import { registerSeller, type SellerSession } from '../support/factories.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { DomainEvent } from '../../src/events/domain-event.js';
import { DeliveryEngine } from '../../src/webhooks/delivery/delivery.engine.js';
import { DeliveryStore } from '../../src/webhooks/delivery/delivery.store.js';
import { sellerBody } from '../../src/webhooks/subscriptions/seller-endpoint.source.js';
import { createEndpoint, publishOrders, sampleOrder, sql, verifySignature } from '../support/webhook-helpers.js';

describe('Webhook delivery (e2e, real receivers)', () => {
  let t: TestApp;
  let rx: Receiver;
  let seller: SellerSession;

  beforeAll(async () => {
    t = await bootApp({
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_DELAYS_MS: '40,80',
      WEBHOOK_TIMEOUT_MS: '500',
      WEBHOOK_WORKER_INTERVAL_MS: '100',
    });
  });
  beforeEach(async () => {
    rx = await startReceiver();
    seller = await registerSeller(t.http);
  });
  afterEach(() => rx.close());
  afterAll(() => t.close());

  const deliveries = (endpointId: string) =>
    t.http.get(`/api/webhooks/${endpointId}/deliveries`).set('Cookie', seller.cookie);

  it("delivers a committed event with the reference's body, every header, and signatures both verifiers accept", async () => {
    const wh = await createEndpoint(t.http, seller, `${rx.url}/hooks`);
    const [event] = await publishOrders(t.app, seller.sellerId);
    const req = await waitFor(() => rx.requests[0], 5000, 'the webhook');

    expect(req.path).toBe('/hooks');
    expect(req.json).toEqual({
      event: 'ORDER_CREATED',
      sellerId: seller.sellerId,
      timestamp: event.occurredAt.toISOString(),
      data: event.data,
    });
    expect(Object.keys(req.json)).toEqual(['event', 'sellerId', 'timestamp', 'data']);
    expect(Object.keys(req.json.data as object)).toEqual([
      'orderId',
      'referenceCode',
      'status',
      'totalKes',
      'customerName',
      'customerPhone',
      'itemCount',
    ]);
    const h = req.headers;
    expect(h['content-type']).toBe('application/json');
    expect(h['user-agent']).toMatch(/^SokoHub-Webhooks\//);
    expect(h['x-sokohub-event']).toBe('ORDER_CREATED');
    expect(h['x-sokohub-event-id']).toBe(event.id);
    expect(h['x-sokohub-delivery-id']).toMatch(/^dlv_/);
    expect(h['x-sokohub-webhook-id']).toBe(wh.id);
    expect(h['x-sokohub-attempt']).toBe('1');
    expect(h['x-sokohub-triggered-at']).toBe(event.occurredAt.toISOString());
    expect(h['x-sokohub-shop-id']).toBe(seller.sellerId);
    expect(h['x-sokohub-api-version']).toBeDefined();
    expect(verifySignature(req.rawBody, String(h['x-sokohub-signature']), wh.secret)).toBe(true);
    expect(h['webhook-id']).toBe(event.id);
    expect(() =>
      new Webhook(wh.secret).verify(req.rawBody.toString('utf8'), h as Record<string, string>),
    ).not.toThrow();

    const page = await waitFor(async () => {
      const res = await deliveries(wh.id).expect(200);
      return res.body.data[0]?.status === 'SUCCEEDED' && res.body;
    });
    expect(page.data[0]).toMatchObject({ event: 'ORDER_CREATED', eventId: event.id, attempts: 1, lastStatusCode: 200 });
  });

  it('sends nothing for a rolled-back change, and nothing for endpoints not subscribed or switched off', async () => {
    const subscribed = await createEndpoint(t.http, seller, `${rx.url}/yes`);
    await createEndpoint(t.http, seller, `${rx.url}/products-only`, ['PRODUCT_CREATED']);
    const off = await createEndpoint(t.http, seller, `${rx.url}/off`);
    await t.http
      .patch(`/api/webhooks/${off.id}/toggle`)
      .set('Cookie', seller.cookie)
      .send({ isActive: false })
      .expect(200);

    await expect(publishOrders(t.app, seller.sellerId, 1, true)).rejects.toThrow('the change failed after publishing');
    const rows = await sql(t.app, 'select count(*)::int as n from webhook_deliveries where seller_id = ?', [
      seller.sellerId,
    ]);
    expect(rows[0].n).toBe(0);

    await publishOrders(t.app, seller.sellerId);
    await waitFor(() => rx.requests.length === 1, 5000);
    const after = await sql<{ subscription_id: string }>(
      t.app,
      'select subscription_id from webhook_deliveries where seller_id = ?',
      [seller.sellerId],
    );
    expect(after.map((r) => r.subscription_id)).toEqual([subscribed.id]);
  });

  it('makes exactly 3 attempts with growing delays, then marks the delivery failed, with every attempt recorded', async () => {
    rx.respond((_req, res) => void res.writeHead(500).end('boom'));
    const wh = await createEndpoint(t.http, seller, rx.url);
    await publishOrders(t.app, seller.sellerId);
    const failed = await waitFor(
      async () => (await deliveries(wh.id)).body.data.find((d: { status: string }) => d.status === 'FAILED'),
      8000,
      'the failure',
    );
    expect(rx.requests.map((r) => r.headers['x-sokohub-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(rx.requests.map((r) => r.headers['x-sokohub-delivery-id'])).size).toBe(1);
    expect(rx.requests[1].at - rx.requests[0].at).toBeGreaterThanOrEqual(30);
    expect(rx.requests[2].at - rx.requests[1].at).toBeGreaterThanOrEqual(60);

    const detail = await t.http
      .get(`/api/webhooks/${wh.id}/deliveries/${failed.id}`)
      .set('Cookie', seller.cookie)
      .expect(200);
    expect(detail.body).toMatchObject({ status: 'FAILED', attempts: 3, lastStatusCode: 500 });
    expect(
      detail.body.attemptLog.map((a: { attempt: number; statusCode: number; responseExcerpt: string }) => [
        a.attempt,
        a.statusCode,
        a.responseExcerpt,
      ]),
    ).toEqual([
      [1, 500, 'boom'],
      [2, 500, 'boom'],
      [3, 500, 'boom'],
    ]);
    expect(detail.body.payload).toMatchObject({ event: 'ORDER_CREATED' });
    // Nothing more is sent.
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.requests).toHaveLength(3);
  });

  it('counts a receiver slower than the timeout as a failed attempt', async () => {
    rx.respond((_req, res) => void setTimeout(() => res.writeHead(200).end('late'), 1500));
    const wh = await createEndpoint(t.http, seller, rx.url);
    await publishOrders(t.app, seller.sellerId);
    const detail = await waitFor(async () => {
      const list = (await deliveries(wh.id)).body.data;
      if (!list[0] || list[0].attempts < 1) return undefined;
      return (await t.http.get(`/api/webhooks/${wh.id}/deliveries/${list[0].id}`).set('Cookie', seller.cookie)).body;
    }, 5000);
    expect(detail.attemptLog[0]).toMatchObject({ statusCode: null, error: 'timed out after 500 ms' });
    expect(detail.attemptLog[0].durationMs).toBeGreaterThanOrEqual(450);
  });

  it('waits as long as Retry-After asks on 429', async () => {
    let calls = 0;
    rx.respond((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'Retry-After': '1' }).end();
      else res.writeHead(200).end();
    });
    const wh = await createEndpoint(t.http, seller, rx.url);
    await publishOrders(t.app, seller.sellerId);
    await waitFor(() => rx.requests.length === 2, 5000);
    expect(rx.requests[1].at - rx.requests[0].at).toBeGreaterThanOrEqual(900);
    await waitFor(async () => (await deliveries(wh.id)).body.data[0]?.status === 'SUCCEEDED');
  });

  it('disables the endpoint at once on 410 Gone, and holds later deliveries until it is enabled again', async () => {
    rx.respond((_req, res) => void res.writeHead(410).end());
    const wh = await createEndpoint(t.http, seller, rx.url);
    await publishOrders(t.app, seller.sellerId);
    const disabled = await waitFor(async () => {
      const res = await t.http.get(`/api/webhooks/${wh.id}`).set('Cookie', seller.cookie);
      return res.body.isActive === false && res.body;
    }, 5000);
    expect(disabled.disabledReason).toBe('The endpoint answered 410 Gone');
    expect(rx.requests).toHaveLength(1);

    rx.respond((_req, res) => void res.writeHead(200).end());
    const failed = (await deliveries(wh.id)).body.data[0];
    expect(failed.status).toBe('FAILED');
    await t.http
      .post(`/api/webhooks/${wh.id}/toggle`)
      .set('Cookie', seller.cookie)
      .send({ isActive: true })
      .expect(200);
    // Redeliver the one that hit 410: nothing is lost.
    await t.http
      .post(`/api/webhooks/${wh.id}/deliveries/${failed.id}/redeliver`)
      .set('Cookie', seller.cookie)
      .expect(202);
    await waitFor(async () => (await deliveries(wh.id)).body.data[0]?.status === 'SUCCEEDED', 5000);
    expect(rx.requests).toHaveLength(2);
  });

  it('pauses deliveries of a switched-off endpoint and sends them when it is switched on', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await t.http
      .patch(`/api/webhooks/${wh.id}/toggle`)
      .set('Cookie', seller.cookie)
      .send({ isActive: false })
      .expect(200);
    // Deliveries queued just before the switch-off (written straight to the outbox, as the listener would have).
    const event = new DomainEvent('ORDER_CREATED', seller.sellerId, sampleOrder(7));
    await t.app.get(UnitOfWork).run(({ em }) =>
      t.app
        .get(DeliveryStore)
        .insert(em, event, [{ kind: 'seller', subscriptionId: wh.id, url: rx.url, body: sellerBody(event) }], {
          maxAttempts: 3,
          recheckMs: 30_000,
        }),
    );
    t.app.get(DeliveryEngine).nudge();
    await waitFor(async () => (await deliveries(wh.id)).body.data[0]?.status === 'PAUSED', 5000, 'the pause');
    expect(rx.requests).toHaveLength(0);

    await t.http
      .patch(`/api/webhooks/${wh.id}/toggle`)
      .set('Cookie', seller.cookie)
      .send({ isActive: true })
      .expect(200);
    await waitFor(
      async () => (await deliveries(wh.id)).body.data[0]?.status === 'SUCCEEDED',
      5000,
      'the resumed delivery',
    );
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0].headers['x-sokohub-event-id']).toBe(event.id);
  });

  it('signs with both secrets for 24 h after a rotation', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    const { body: rotated } = await t.http
      .post(`/api/webhooks/${wh.id}/rotate-secret`)
      .set('Cookie', seller.cookie)
      .expect(200);
    await publishOrders(t.app, seller.sellerId);
    const req = await waitFor(() => rx.requests[0], 5000);
    expect(verifySignature(req.rawBody, String(req.headers['x-sokohub-signature']), rotated.secret)).toBe(true);
    expect(verifySignature(req.rawBody, String(req.headers['x-sokohub-signature-previous']), wh.secret)).toBe(true);
    const headers = req.headers as Record<string, string>;
    expect(() => new Webhook(wh.secret).verify(req.rawBody.toString(), headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(req.rawBody.toString(), headers)).not.toThrow();

    // After the grace period only the new secret signs.
    await sql(
      t.app,
      "update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ?",
      [wh.id],
    );
    t.app.get(DeliveryEngine).forget('seller', wh.id);
    await publishOrders(t.app, seller.sellerId);
    const later = await waitFor(() => rx.requests[1], 5000);
    expect(later.headers['x-sokohub-signature-previous']).toBeUndefined();
    expect(verifySignature(later.rawBody, String(later.headers['x-sokohub-signature']), rotated.secret)).toBe(true);
  });

  it("shows the endpoint with its last 20 deliveries, newest first (the reference's GET /api/webhooks/:id)", async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await publishOrders(t.app, seller.sellerId, 12);
    await publishOrders(t.app, seller.sellerId, 10);
    await waitFor(() => rx.requests.length >= 22 && rx.requests, 10_000, '22 deliveries');
    const log = (await deliveries(wh.id).expect(200)).body;
    expect(log.total).toBe(22);
    await waitFor(async () => {
      const { body } = await deliveries(wh.id).expect(200);
      return body.data.every((d: { status: string }) => d.status === 'SUCCEEDED');
    }, 5000);
    const { body } = await t.http.get(`/api/webhooks/${wh.id}`).set('Cookie', seller.cookie).expect(200);
    const newest = (await deliveries(wh.id).expect(200)).body.data.slice(0, 20);
    expect(body.deliveries).toEqual(newest);
    expect(body.recentDeliveries).toEqual(body.deliveries);
    expect(body).not.toHaveProperty('secret');
  });

  it('sends a test ORDER_CREATED through the engine and returns the delivery with its attempt', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url, ['PRODUCT_CREATED']);
    const res = await t.http.post(`/api/webhooks/${wh.id}/test`).set('Cookie', seller.cookie).expect(200);
    expect(res.body).toMatchObject({ event: 'ORDER_CREATED', status: 'SUCCEEDED', attempts: 1 });
    expect(res.body.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: 200, responseExcerpt: 'ok' });
    // The log shows the headers exactly as the receiver got them, signatures included.
    const sent = res.body.attemptLog[0].requestHeaders as Record<string, string>;
    for (const name of ['X-SokoHub-Signature', 'webhook-signature', 'X-SokoHub-Event-Id', 'X-SokoHub-Test'])
      expect(sent[name]).toBe(rx.requests[0].headers[name.toLowerCase()]);
    expect(rx.requests[0].json).toMatchObject({
      event: 'ORDER_CREATED',
      data: { referenceCode: 'SKH-TEST-00000', totalKes: 4500 },
    });
    expect(
      verifySignature(rx.requests[0].rawBody, String(rx.requests[0].headers['x-sokohub-signature']), wh.secret),
    ).toBe(true);
  });

  it('recovers every failed delivery since a time', async () => {
    rx.respond((_req, res) => void res.writeHead(503).end());
    const wh = await createEndpoint(t.http, seller, rx.url);
    const since = new Date(Date.now() - 1000).toISOString();
    await publishOrders(t.app, seller.sellerId, 3);
    await waitFor(
      async () =>
        (await t.http.get(`/api/webhooks/${wh.id}/deliveries?status=FAILED`).set('Cookie', seller.cookie)).body
          .total === 3,
      8000,
    );
    rx.respond((_req, res) => void res.writeHead(204).end());
    const before = rx.requests.length;
    const res = await t.http
      .post(`/api/webhooks/${wh.id}/recover`)
      .set('Cookie', seller.cookie)
      .send({ since })
      .expect(202);
    expect(res.body).toEqual({ requeued: 3 });
    await waitFor(
      async () =>
        (await t.http.get(`/api/webhooks/${wh.id}/deliveries?status=SUCCEEDED`).set('Cookie', seller.cookie)).body
          .total === 3,
      5000,
    );
    expect(rx.requests.length - before).toBe(3);
    const ids = new Set(rx.requests.slice(before).map((r) => r.headers['x-sokohub-event-id']));
    expect(ids.size).toBe(3);
  });

  it('deleting an endpoint removes its delivery history', async () => {
    const wh = await createEndpoint(t.http, seller, rx.url);
    await publishOrders(t.app, seller.sellerId, 2);
    await waitFor(() => rx.requests.length === 2, 5000);
    await t.http.delete(`/api/webhooks/${wh.id}`).set('Cookie', seller.cookie).expect(204);
    const rows = await sql(t.app, 'select count(*)::int as n from webhook_deliveries where subscription_id = ?', [
      wh.id,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('exposes delivery outcome counters and a send-latency histogram in /metrics', async () => {
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/webhook_delivery_attempts_total\{outcome="succeeded"\} [1-9]/);
    expect(metrics.text).toMatch(/webhook_delivery_attempts_total\{outcome="failed"\} [1-9]/);
    expect(metrics.text).toMatch(/webhook_send_duration_seconds_bucket\{le="0.1",outcome="succeeded"\} [1-9]/);
  });
});
