import { API_INSTANT, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { DARAJA_CREDS, mpesaShop } from '../support/mpesa-shop.js';
import { sql } from '../support/webhook-helpers.js';
import { PaymentJobsService } from '../../src/payments/payment-jobs.service.js';

const CREDS = DARAJA_CREDS;
const SUCCESS = { ResultCode: '0', ResultDesc: 'The service request is processed successfully.' };
const CANCELLED = { ResultCode: '1032', ResultDesc: 'Request cancelled by user' };

describe('M-Pesa that never loses a payment (e2e, fake Daraja)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let rx: Receiver;
  let s: SellerSession;
  let callbackPath: string;

  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    rx = await startReceiver();
    // Jobs run by hand here (tick), so each scenario decides exactly when a query happens.
    t = await bootApp({
      MPESA_BASE_URL: daraja.url,
      MPESA_QUERY_AFTER_S: '0',
      MPESA_JOBS_ENABLED: 'false',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      MPESA_CALLBACK_ALLOWED_IPS: '127.0.0.1,::1',
    });
  });
  beforeEach(async () => {
    ({ shop: s, callbackPath } = await mpesaShop(t.http, rx.url));
  });
  afterAll(async () => {
    await t.close();
    await daraja.close();
    await rx.close();
  });

  const jobs = () => t.app.get(PaymentJobsService);
  const getOrder = async (id: string) =>
    (await t.http.get(`/api/orders/${id}`).set('Cookie', s.cookie).expect(200)).body;
  const payment = async (orderId: string) => {
    const list = await t.http.get(`/api/payments?orderId=${orderId}`).set('Cookie', s.cookie).expect(200);
    return (await t.http.get(`/api/payments/${list.body.data[0].id}`).set('Cookie', s.cookie).expect(200)).body;
  };
  async function mpesaOrder(stock = 10) {
    const p = await createProduct(t.http, s, { priceKes: 1500, stock });
    const { body: order } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity: 2 }]))
      .expect(201);
    const [row] = await waitFor(async () => {
      const rows = await sql<{ checkout_request_id: string | null }>(
        t.app,
        'select checkout_request_id from payments where order_id = ?',
        [order.id],
      );
      return rows[0]?.checkout_request_id ? rows : undefined;
    }, 5000);
    return { order, product: p, checkoutId: row.checkout_request_id! };
  }

  it('completes the payment from a status query when the callback never comes', async () => {
    const { order, checkoutId } = await mpesaOrder();
    await jobs().queryDue(); // Daraja: still processing
    expect((await getOrder(order.id)).status).toBe('PENDING');
    daraja.queryAnswers.set(checkoutId, SUCCESS);
    await sql(t.app, 'update payments set next_query_at = now() where order_id = ?', [order.id]);
    await jobs().queryDue();
    expect(await getOrder(order.id)).toMatchObject({ status: 'PAID', mpesaReceipt: null });
    const p = await payment(order.id);
    expect(p).toMatchObject({ status: 'COMPLETED', amountKes: 3000 });
    expect(p.queries.map((q: { definite: boolean; resultCode: number | null }) => [q.definite, q.resultCode])).toEqual([
      [false, null],
      [true, 0],
    ]);
    for (const q of p.queries) expect(q.at).toMatch(API_INSTANT);
    // The late callback brings the receipt, once, without paying twice.
    await t.http
      .post(callbackPath)
      .send(daraja.callback(checkoutId, { amount: 3000, receipt: 'QLATE12345' }))
      .expect(200);
    await t.http
      .post(callbackPath)
      .send(daraja.callback(checkoutId, { amount: 3000, receipt: 'QLATE12345' }))
      .expect(200);
    expect(await getOrder(order.id)).toMatchObject({ status: 'PAID', mpesaReceipt: 'QLATE12345' });
    const [{ n }] = await sql<{ n: number }>(
      t.app,
      "select count(*)::int as n from webhook_events where seller_id = ? and name = 'ORDER_PAID'",
      [s.sellerId],
    );
    expect(n).toBe(1);
  });

  it('never lets a query answer overwrite a payment a callback confirmed meanwhile', async () => {
    const { order, checkoutId } = await mpesaOrder();
    daraja.queryAnswers.set(checkoutId, CANCELLED);
    daraja.queryDelayMs = 400;
    try {
      const querying = jobs().queryDue();
      await waitFor(() => daraja.queries.includes(checkoutId), 5000);
      await t.http
        .post(callbackPath)
        .send(daraja.callback(checkoutId, { amount: 3000, receipt: 'QWIN000001' }))
        .expect(200);
      await querying;
    } finally {
      daraja.queryDelayMs = 0;
    }
    expect(await getOrder(order.id)).toMatchObject({ status: 'PAID', mpesaReceipt: 'QWIN000001' });
    const p = await payment(order.id);
    expect(p.status).toBe('COMPLETED');
    expect(p.queries).toEqual([expect.objectContaining({ definite: true, resultCode: 1032 })]);
  });

  it('applies a late success callback once after a query said FAILED, and ignores its repeat', async () => {
    const { order, checkoutId } = await mpesaOrder();
    daraja.queryAnswers.set(checkoutId, CANCELLED);
    await jobs().queryDue();
    expect((await payment(order.id)).status).toBe('FAILED');
    const body = daraja.callback(checkoutId, { amount: 3000, receipt: 'QLATE99999' });
    await t.http.post(callbackPath).send(body).expect(200);
    await t.http.post(callbackPath).send(body).expect(200);
    expect(await getOrder(order.id)).toMatchObject({ status: 'PAID', mpesaReceipt: 'QLATE99999' });
    const p = await payment(order.id);
    expect(p).toMatchObject({ status: 'COMPLETED', mpesaReceipt: 'QLATE99999' });
    expect(p.callbacks.map((c: { outcome: string }) => c.outcome)).toEqual([
      'applied over a FAILED status query: COMPLETED',
      'repeat: payment already COMPLETED',
    ]);
    expect(p.callbacks[0].body).toEqual(body);
    for (const c of p.callbacks) expect(c.receivedAt).toMatch(API_INSTANT);
    const [{ n }] = await sql<{ n: number }>(t.app, 'select count(*)::int as n from payments where order_id = ?', [
      order.id,
    ]);
    expect(n).toBe(1);
  });

  it('acknowledges and records an unknown CheckoutRequestID, changing nothing', async () => {
    const before = await sql(t.app, 'select id, status from payments where seller_id = ? order by id', [s.sellerId]);
    await t.http
      .post(callbackPath)
      .send(daraja.callback('ws_CO_nobody_knows', { amount: 5 }))
      .expect(200, { ResultCode: 0, ResultDesc: 'Accepted' });
    expect(await sql(t.app, 'select id, status from payments where seller_id = ? order by id', [s.sellerId])).toEqual(
      before,
    );
    const [logged] = await sql<{ outcome: string; payment_id: string | null }>(
      t.app,
      "select outcome, payment_id from payment_callbacks where checkout_request_id = 'ws_CO_nobody_knows'",
    );
    expect(logged).toEqual({
      outcome: 'unknown CheckoutRequestID: kept until its payment is stored',
      payment_id: null,
    });
  });

  it('cancels an unpaid MPESA order after the timeout, restocks it, and flags a payment that arrives afterwards', async () => {
    const { order, product, checkoutId } = await mpesaOrder(5);
    const { body: cod } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: product.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    expect((await t.http.get(`/api/products/${product.id}`).set('Cookie', s.cookie)).body.stock).toBe(2);
    await sql(t.app, "update orders set created_at = now() - interval '31 minutes' where id in (?, ?)", [
      order.id,
      cod.id,
    ]);
    await jobs().tick();
    const expired = await getOrder(order.id);
    expect(expired).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    expect(expired.timeline.at(-1)).toMatchObject({ status: 'CANCELLED', actor: 'system', note: 'payment timeout' });
    expect((await getOrder(cod.id)).status).toBe('PENDING'); // cash on delivery is held until its own hold time
    expect((await t.http.get(`/api/products/${product.id}`).set('Cookie', s.cookie)).body.stock).toBe(4);
    const [cancelled] = await sql<{ data: { orderId: string } }>(
      t.app,
      "select data from webhook_events where seller_id = ? and name = 'ORDER_CANCELLED'",
      [s.sellerId],
    );
    expect(cancelled.data.orderId).toBe(order.id);

    await t.http
      .post(callbackPath)
      .send(daraja.callback(checkoutId, { amount: 3000, receipt: 'QAFTER0001' }))
      .expect(200);
    expect((await getOrder(order.id)).status).toBe('CANCELLED');
    const flagged = await t.http.get('/api/payments?status=FLAGGED').set('Cookie', s.cookie).expect(200);
    expect(flagged.body.data).toEqual([
      expect.objectContaining({
        orderId: order.id,
        status: 'FLAGGED',
        mpesaReceipt: 'QAFTER0001',
        amountKes: 3000,
        flagReason: 'Paid, but the order was cancelled',
      }),
    ]);
  });

  it('shows payments only to their shop', async () => {
    const { order } = await mpesaOrder();
    const p = await payment(order.id);
    const b = await registerSeller(t.http);
    await t.http.get(`/api/payments/${p.id}`).set('Cookie', b.cookie).expect(404);
    expect((await t.http.get('/api/payments').set('Cookie', b.cookie).expect(200)).body.total).toBe(0);
    await t.http.get('/api/payments?status=LOST').set('Cookie', s.cookie).expect(400);
  });
});

describe('status queries across two app instances (e2e)', () => {
  it('queries each pending payment from one instance at a time', async () => {
    const daraja = await new FakeDaraja().start();
    daraja.queryDelayMs = 150;
    const env = {
      MPESA_BASE_URL: daraja.url,
      MPESA_QUERY_AFTER_S: '0',
      MPESA_JOB_INTERVAL_MS: '50',
      MPESA_QUERY_MAX_ATTEMPTS: '50',
    };
    const a = await bootApp(env);
    const b = await bootApp(env, { databaseUrl: a.databaseUrl });
    try {
      const s = await registerSeller(a.http);
      await a.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(CREDS).expect(200);
      const p = await createProduct(a.http, s, { stock: 100, priceKes: 100 });
      for (let i = 0; i < 6; i++)
        await a.http
          .post('/api/orders')
          .send(orderBody(s, [{ productId: p.id, quantity: 1 }]))
          .expect(201);
      await waitFor(
        () => new Set(daraja.queries).size === 6 && daraja.queries.length >= 18,
        15_000,
        'three rounds of queries',
      );
      expect(daraja.maxConcurrentQueries).toBe(1);
      for (const id of new Set(daraja.queries)) daraja.queryAnswers.set(id, SUCCESS);
      await waitFor(
        async () =>
          (await sql<{ n: number }>(a.app, "select count(*)::int as n from payments where status = 'COMPLETED'"))[0]
            .n === 6,
        15_000,
      );
      expect(daraja.maxConcurrentQueries).toBe(1);
      const [{ paid }] = await sql<{ paid: number }>(
        a.app,
        "select count(*)::int as paid from orders where status = 'PAID'",
      );
      expect(paid).toBe(6);
    } finally {
      await b.close();
      await a.close();
      await daraja.close();
    }
  });
});
