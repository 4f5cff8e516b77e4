import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PaymentJobsService } from '../../src/payments/payment-jobs.service.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { DARAJA_CREDS } from '../support/mpesa-shop.js';
import { waitFor } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createEndpoint, sql } from '../support/webhook-helpers.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]);
const SUCCESS = { ResultCode: '0', ResultDesc: 'The service request is processed successfully.' };

describe('Public orders cannot be abused (e2e)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    t = await bootApp({
      MPESA_BASE_URL: daraja.url,
      MPESA_JOBS_ENABLED: 'false',
      ORDER_OPEN_PER_PHONE: '2',
      STK_PROMPTS_PER_PHONE_PER_HOUR: '1',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_WORKER_ENABLED: 'false',
    });
  });
  afterAll(async () => {
    await t.close();
    await daraja.close();
  });

  it('refuses one open order too many from one phone in a shop, with Retry-After and plain words', async () => {
    const s = await registerSeller(t.http);
    const p = await createProduct(t.http, s, { stock: 100 });
    const cod = (phone: string) =>
      orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY', customerPhone: phone });
    const first = await t.http.post('/api/orders').send(cod('0711000001')).expect(201);
    await t.http.post('/api/orders').send(cod('0711000001')).expect(201);
    const third = await t.http.post('/api/orders').send(cod('+254711000001')).expect(429);
    expect(third.body).toEqual({
      success: false,
      code: 'RATE_LIMITED',
      statusCode: 429,
      message: expect.stringContaining('already has 2 unpaid orders in this shop'),
    });
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.post('/api/orders').send(cod('0711000002')).expect(201);
    // Once the seller deals with one, the buyer may order again; nothing of the refused order was kept.
    await t.http
      .post(`/api/orders/${first.body.id}/cancel`)
      .set('Cookie', s.cookie)
      .send({ reason: 'duplicate' })
      .expect(200);
    await t.http.post('/api/orders').send(cod('0711000001')).expect(201);
    expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.stock).toBe(97);
  });

  it('sends at most STK_PROMPTS_PER_PHONE_PER_HOUR prompts to a phone; over it the order is placed and says so', async () => {
    const s = await registerSeller(t.http);
    await t.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(DARAJA_CREDS).expect(200);
    const p = await createProduct(t.http, s, { stock: 10 });
    const before = daraja.stkRequests.length;
    const body = orderBody(s, [{ productId: p.id, quantity: 1 }], { customerPhone: '0722000111' });
    const first = await t.http.post('/api/orders').send(body).expect(201);
    expect(first.body).toMatchObject({ stkPrompt: true, notice: null });
    await waitFor(() => daraja.stkRequests.length === before + 1, 5000, 'the first push');
    const second = await t.http.post('/api/orders').send(body).expect(201);
    expect(second.body).toMatchObject({
      status: 'PENDING',
      stkPrompt: false,
      notice: expect.stringContaining('did not send an M-Pesa prompt'),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(daraja.stkRequests.length).toBe(before + 1);
  });

  it('racing orders from one phone get one prompt between them: the count waits for the customer row lock', async () => {
    const s = await registerSeller(t.http);
    await t.http.put('/api/payments/mpesa/settings').set('Cookie', s.cookie).send(DARAJA_CREDS).expect(200);
    const p = await createProduct(t.http, s, { stock: 10 });
    const body = orderBody(s, [{ productId: p.id, quantity: 1 }], { customerPhone: '0722000999' });
    const placed = await Promise.all(Array.from({ length: 5 }, () => t.http.post('/api/orders').send(body)));
    // ORDER_OPEN_PER_PHONE is 2 here: two are placed, and only one of those two asks for a PIN.
    const accepted = placed.filter((r) => r.status === 201);
    expect(accepted).toHaveLength(2);
    expect(accepted.filter((r) => r.body.stkPrompt === true)).toHaveLength(1);
  });

  it('binds an Idempotency-Key to its body: the same key with another body is 409 and never shows the first order', async () => {
    const s = await registerSeller(t.http);
    const p = await createProduct(t.http, s, { stock: 10 });
    const body = orderBody(s, [{ productId: p.id, quantity: 1 }], {
      paymentMethod: 'CASH_ON_DELIVERY',
      customerName: 'First Buyer',
      customerPhone: '0733000001',
    });
    const first = await t.http.post('/api/orders').set('Idempotency-Key', 'checkout-abc-1').send(body).expect(201);
    const replay = await t.http.post('/api/orders').set('Idempotency-Key', 'checkout-abc-1').send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const other = await t.http
      .post('/api/orders')
      .set('Idempotency-Key', 'checkout-abc-1')
      .send({ ...body, customerName: 'Someone Else', customerPhone: '0733000002' })
      .expect(409);
    expect(other.body).toMatchObject({ success: false, code: 'CONFLICT' });
    expect(JSON.stringify(other.body)).not.toContain(first.body.id);
    expect(JSON.stringify(other.body)).not.toContain('First Buyer');
  });

  it('releases the stock of a cash-on-delivery order the seller did not confirm within the shop hold time', async () => {
    const s = await registerSeller(t.http);
    await createEndpoint(t.http, s, 'http://127.0.0.1:9/hook', ['ORDER_CANCELLED']);
    const settings = await t.http
      .patch('/api/shop/settings')
      .set('Cookie', s.cookie)
      .send({ codHoldHours: 6 })
      .expect(200);
    expect(settings.body).toMatchObject({ codHoldHours: 6, effectiveCodHoldHours: 6 });
    const p = await createProduct(t.http, s, { stock: 5 });
    const { body: order } = await t.http
      .post('/api/orders')
      .send(
        orderBody(s, [{ productId: p.id, quantity: 2 }], {
          paymentMethod: 'CASH_ON_DELIVERY',
          customerPhone: '0744000001',
        }),
      )
      .expect(201);
    const [{ hours }] = await sql<{ hours: number }>(
      t.app,
      'select round(extract(epoch from hold_expires_at - created_at) / 3600)::int as hours from orders where id = ?',
      [order.id],
    );
    expect(hours).toBe(6);
    await t.app.get(PaymentJobsService).tick();
    expect((await t.http.get(`/api/orders/${order.id}`).set('Cookie', s.cookie)).body.status).toBe('PENDING');
    await sql(t.app, "update orders set hold_expires_at = now() - interval '1 second' where id = ?", [order.id]);
    await t.app.get(PaymentJobsService).tick();
    const expired = (await t.http.get(`/api/orders/${order.id}`).set('Cookie', s.cookie)).body;
    expect(expired).toMatchObject({ status: 'CANCELLED', cancelReason: 'not confirmed in time' });
    expect(expired.timeline.at(-1)).toMatchObject({
      status: 'CANCELLED',
      actor: 'system',
      note: 'not confirmed in time',
    });
    expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.stock).toBe(5);
    const events = await sql<{ name: string }>(
      t.app,
      "select name from webhook_events where seller_id = ? and name = 'ORDER_CANCELLED'",
      [s.sellerId],
    );
    expect(events).toHaveLength(1);
    await t.http.patch('/api/shop/settings').set('Cookie', s.cookie).send({ codHoldHours: 0 }).expect(400);
  });
});

describe('Images and quotas (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ PRODUCT_MAX_IMAGES: '2', SHOP_STORAGE_QUOTA_MB: '1' });
  });
  afterAll(() => t.close());
  const stored = () => {
    try {
      return readdirSync(join(t.dataDir, 'uploads', 'products')).length;
    } catch {
      return 0;
    }
  };

  it("stores no bytes for another shop's product, caps images per product and bytes per shop", async () => {
    const a = await registerSeller(t.http);
    const b = await registerSeller(t.http);
    const p = await createProduct(t.http, a);
    const before = stored();
    await t.http.patch(`/api/products/${p.id}`).set('Cookie', b.cookie).attach('image', PNG, 'x.png').expect(404);
    expect(stored()).toBe(before);
    await t.http.patch(`/api/products/${p.id}`).set('Cookie', a.cookie).attach('image', PNG, 'a.png').expect(200);
    await t.http.patch(`/api/products/${p.id}`).set('Cookie', a.cookie).attach('image', PNG, 'b.png').expect(200);
    const third = await t.http
      .patch(`/api/products/${p.id}`)
      .set('Cookie', a.cookie)
      .attach('image', PNG, 'c.png')
      .expect(400);
    expect(third.body.message).toContain('at most 2 images');
    expect(stored()).toBe(before + 2);
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]);
    const quota = await t.http
      .post('/api/products')
      .set('Cookie', a.cookie)
      .field('name', 'Big')
      .field('priceKes', '100')
      .attach('image', big, 'big.png')
      .expect(400);
    expect(quota.body.message).toContain('image storage');
    expect(stored()).toBe(before + 2);
  });

  it('removes a photo (its bytes too) so another fits, and a deleted product frees its photos', async () => {
    const a = await registerSeller(t.http);
    const b = await registerSeller(t.http);
    const p = await createProduct(t.http, a);
    const before = stored();
    const add = () => t.http.patch(`/api/products/${p.id}`).set('Cookie', a.cookie).attach('image', PNG, 'a.png');
    await add().expect(200);
    const full = (await add().expect(200)).body as { images: { id: string; url: string }[] };
    await add().expect(400); // at most 2: "remove one first" now has a way to do it
    const [first, second] = full.images;
    await t.http.delete(`/api/products/${p.id}/images/${first.id}`).set('Cookie', b.cookie).expect(404);
    const viewer = await addMember(t.http, a, 'VIEWER');
    await t.http.delete(`/api/products/${p.id}/images/${first.id}`).set('Cookie', viewer.cookie).expect(403);
    const removed = await t.http.delete(`/api/products/${p.id}/images/${first.id}`).set('Cookie', a.cookie).expect(200);
    expect(removed.body.images.map((i: { id: string }) => i.id)).toEqual([second.id]);
    await t.http.get(first.url).expect(404);
    expect(stored()).toBe(before + 1);
    await t.http.delete(`/api/products/${p.id}/images/${first.id}`).set('Cookie', a.cookie).expect(404);
    await add().expect(200);
    // A deleted product's photos leave storage and the shop's quota (they showed nowhere any more).
    await t.http.delete(`/api/products/${p.id}`).set('Cookie', a.cookie).expect(204);
    await t.http.get(second.url).expect(404);
    expect(stored()).toBe(before);
  });

  it('caps multipart parts and fields', async () => {
    const s = await registerSeller(t.http);
    let req = t.http.post('/api/products').set('Cookie', s.cookie).field('name', 'Many').field('priceKes', '100');
    for (let i = 0; i < 40; i++) req = req.field(`extra${i}`, 'x');
    const res = await req;
    expect([400, 413]).toContain(res.status);
    expect(res.body.success).toBe(false);
  });
});

describe('A forged M-Pesa callback can never mark an order paid (e2e)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let s: SellerSession;
  let callbackPath: string;
  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    // No allow-list: every callback must be confirmed by a status query.
    t = await bootApp({
      MPESA_BASE_URL: daraja.url,
      MPESA_JOBS_ENABLED: 'false',
      MPESA_QUERY_AFTER_S: '3600',
      DB_ANALYTICS_STATEMENT_TIMEOUT_MS: '300',
    });
  });
  beforeEach(async () => {
    s = await registerSeller(t.http);
    const saved = await t.http
      .put('/api/payments/mpesa/settings')
      .set('Cookie', s.cookie)
      .send(DARAJA_CREDS)
      .expect(200);
    callbackPath = new URL(saved.body.callbackUrl).pathname;
  });
  afterAll(async () => {
    await t.close();
    await daraja.close();
  });

  async function mpesaOrder(checkoutId?: string) {
    const p = await createProduct(t.http, s, { priceKes: 1500, stock: 10 });
    if (checkoutId) daraja.nextCheckoutIds.push(checkoutId);
    const before = daraja.stkRequests.length;
    const { body: order } = await t.http
      .post('/api/orders')
      .send(
        orderBody(s, [{ productId: p.id, quantity: 1 }], {
          customerPhone: `07550${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
        }),
      )
      .expect(201);
    await waitFor(() => daraja.stkRequests.length > before, 5000, 'the STK push');
    const [row] = await waitFor(async () => {
      const rows = await sql<{ id: string; checkout_request_id: string | null }>(
        t.app,
        'select id, checkout_request_id from payments where order_id = ?',
        [order.id],
      );
      return rows[0]?.checkout_request_id ? rows : undefined;
    }, 5000);
    return { order, paymentId: row.id, checkoutId: row.checkout_request_id! };
  }
  const order = async (id: string) => (await t.http.get(`/api/orders/${id}`).set('Cookie', s.cookie).expect(200)).body;
  const payment = async (id: string) =>
    (await t.http.get(`/api/payments/${id}`).set('Cookie', s.cookie).expect(200)).body;

  it('keeps an untrusted callback in the log only; Daraja decides, an honest payment completes within seconds', async () => {
    const forged = await mpesaOrder();
    await t.http
      .post(callbackPath)
      .send(daraja.callback(forged.checkoutId, { amount: 1500, receipt: 'QFORGED001', phone: 254799999999 }))
      .expect(200, { ResultCode: 0, ResultDesc: 'Accepted' });
    await waitFor(
      async () =>
        (await sql(t.app, 'select 1 from payment_queries where payment_id = ?', [forged.paymentId])).length > 0,
      5000,
      'the confirming status query',
    );
    // The payment itself is untouched: no receipt, phone, amount or result from a callback nobody vouches for.
    const kept = await payment(forged.paymentId);
    expect(kept).toMatchObject({ status: 'PENDING', mpesaReceipt: null, amountKes: null, resultCode: null });
    expect(kept.phone).not.toBe('254799999999');
    expect(kept.callbacks).toHaveLength(1);
    daraja.queryAnswers.set(forged.checkoutId, { ResultCode: '1032', ResultDesc: 'Request cancelled by user' });
    expect((await order(forged.order.id)).status).toBe('PENDING');
    // Daraja said "still processing" the first time; the next query says the push was cancelled: Daraja's word
    // decides (FAILED), the forged success never flags anything.
    await sql(t.app, 'update payments set next_query_at = now() where id = ?', [forged.paymentId]);
    await t.app.get(PaymentJobsService).queryDue();
    expect(await payment(forged.paymentId)).toMatchObject({ status: 'FAILED', flagReason: null, mpesaReceipt: null });
    expect((await order(forged.order.id)).status).toBe('PENDING');

    const honest = await mpesaOrder();
    daraja.queryAnswers.set(honest.checkoutId, SUCCESS);
    const started = Date.now();
    await t.http
      .post(callbackPath)
      .send(daraja.callback(honest.checkoutId, { amount: 1500, receipt: 'QHONEST001' }))
      .expect(200);
    await waitFor(async () => (await order(honest.order.id)).status === 'PAID', 5000, 'the confirmed payment');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await order(honest.order.id)).toMatchObject({ status: 'PAID', mpesaReceipt: 'QHONEST001' });
    // The amount is the one Daraja was asked for; the receipt is the only one seen, and says it is unverified.
    expect(await payment(honest.paymentId)).toMatchObject({
      status: 'COMPLETED',
      amountKes: 1500,
      mpesaReceipt: 'QHONEST001',
      receiptVerified: false,
      receiptCandidates: [],
    });
  });

  it('lets late untrusted callbacks add only an unverified receipt: never a flag, an amount or a 500', async () => {
    const wrongAmount = await mpesaOrder();
    const twoReceipts = await mpesaOrder();
    for (const o of [wrongAmount, twoReceipts]) {
      daraja.queryAnswers.set(o.checkoutId, SUCCESS);
      await sql(t.app, 'update payments set next_query_at = now() where id = ?', [o.paymentId]);
    }
    await t.app.get(PaymentJobsService).queryDue();
    expect(await payment(wrongAmount.paymentId)).toMatchObject({ status: 'COMPLETED', mpesaReceipt: null });
    await t.http
      .post(callbackPath)
      .send(daraja.callback(wrongAmount.checkoutId, { amount: 10, receipt: 'QLATE00001' }))
      .expect(200);
    expect(await payment(wrongAmount.paymentId)).toMatchObject({
      status: 'COMPLETED',
      amountKes: 1500,
      flagReason: null,
      mpesaReceipt: 'QLATE00001',
      receiptVerified: false,
    });

    // Two untrusted callbacks naming different receipts: neither is applied, both are listed for the seller.
    for (const receipt of ['QLATE00002', 'QLATE00003'])
      await t.http
        .post(callbackPath)
        .send(daraja.callback(twoReceipts.checkoutId, { amount: 1500, receipt }))
        .expect(200);
    const p = await payment(twoReceipts.paymentId);
    expect(p).toMatchObject({ status: 'COMPLETED', mpesaReceipt: null, receiptVerified: false, flagReason: null });
    expect([...p.receiptCandidates].sort()).toEqual(['QLATE00002', 'QLATE00003']);
    expect((await order(twoReceipts.order.id)).status).toBe('PAID');
  });

  it('keeps a callback that beats the push answer and applies it once the payment is stored', async () => {
    const trusted = await bootApp(
      { MPESA_BASE_URL: daraja.url, MPESA_JOBS_ENABLED: 'false', MPESA_CALLBACK_ALLOWED_IPS: '127.0.0.0/8,::1' },
      { databaseUrl: t.databaseUrl },
    );
    try {
      daraja.pushDelayMs = 700;
      const p = await createProduct(t.http, s, { priceKes: 1500, stock: 10 });
      daraja.nextCheckoutIds.push('ws_CO_EARLY_BIRD_1');
      const before = daraja.stkRequests.length;
      const { body: placed } = await trusted.http
        .post('/api/orders')
        .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { customerPhone: '0766000001' }))
        .expect(201);
      await waitFor(() => daraja.stkRequests.length > before, 5000, 'the push');
      await trusted.http
        .post(callbackPath)
        .send(daraja.callback('ws_CO_EARLY_BIRD_1', { amount: 1500, receipt: 'QEARLY0001' }))
        .expect(200);
      await waitFor(async () => (await order(placed.id)).status === 'PAID', 5000, 'the early callback applied');
      expect((await order(placed.id)).mpesaReceipt).toBe('QEARLY0001');
      const [cb] = await sql<{ outcome: string; payment_id: string | null }>(
        t.app,
        "select outcome, payment_id from payment_callbacks where checkout_request_id = 'ws_CO_EARLY_BIRD_1'",
      );
      expect(cb.payment_id).not.toBeNull();
      expect(cb.outcome).toContain('matched once its payment was stored');
    } finally {
      daraja.pushDelayMs = 0;
      await trusted.close();
    }
  });

  it('stores the callback token hashed, rotates it (the old URL stops at once), and keys OAuth tokens by the full credentials', async () => {
    const [row] = await sql<Record<string, unknown>>(t.app, 'select * from mpesa_settings where seller_id = ?', [
      s.sellerId,
    ]);
    const token = callbackPath.split('/').pop()!;
    expect(JSON.stringify(row)).not.toContain(token);
    const rotated = await t.http
      .post('/api/payments/mpesa/settings/rotate-callback')
      .set('Cookie', s.cookie)
      .expect(200);
    const next = new URL(rotated.body.callbackUrl).pathname;
    expect(next).not.toBe(callbackPath);
    await t.http.post(callbackPath).send(daraja.callback('ws_CO_x')).expect(404);
    await t.http.post(next).send(daraja.callback('ws_CO_x')).expect(200);
    // Shown whole once, to the owner who rotated it; every later read shows it masked.
    const nextToken = next.split('/').pop()!;
    const shown = (await t.http.get('/api/payments/mpesa/settings').set('Cookie', s.cookie)).body;
    expect(shown.callbackUrl).toBe(rotated.body.callbackUrl.replace(nextToken, `${nextToken.slice(0, 4)}••••••••`));
    expect(JSON.stringify(shown)).not.toContain(nextToken);

    await mpesaOrder();
    const oauth = daraja.oauthCalls;
    await t.http
      .put('/api/payments/mpesa/settings')
      .set('Cookie', s.cookie)
      .send({ ...DARAJA_CREDS, consumerSecret: 'another-secret-789' })
      .expect(200);
    await mpesaOrder();
    expect(daraja.oauthCalls).toBe(oauth + 1);
  });

  it('answers a statement that runs past its time limit with a clear 503, not a hung connection', async () => {
    const blocker = new pg.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table seller_daily_stats in access exclusive mode');
      const res = await t.http.get('/api/analytics/overview').set('Cookie', s.cookie).expect(503);
      expect(res.body).toMatchObject({ success: false, code: 'TIMEOUT', statusCode: 503 });
    } finally {
      await blocker.query('rollback');
      await blocker.end();
    }
  });
});
