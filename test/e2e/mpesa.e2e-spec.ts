import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEventEnvelope } from '../../src/database/unit-of-work.js';
import { DOMAIN_EVENT_CHANNEL } from '../../src/events/domain-event.js';
import type { PaymentEventData } from '../../src/events/event-schemas.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { DARAJA_CREDS, mpesaShop } from '../support/mpesa-shop.js';
import { sql } from '../support/webhook-helpers.js';

const CREDS = DARAJA_CREDS;

describe('M-Pesa payments against a local fake Daraja (e2e)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let rx: Receiver;
  let s: SellerSession;
  let callbackPath: string;

  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    rx = await startReceiver();
    t = await bootApp({
      MPESA_BASE_URL: daraja.url,
      PUBLIC_BASE_URL: 'https://api.sokohub.test',
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

  const events = async (name: string) =>
    sql<{ data: Record<string, unknown> }>(
      t.app,
      'select data from webhook_events where seller_id = ? and name = ? order by occurred_at',
      [s.sellerId, name],
    );
  /** Places an MPESA order and waits for its STK push to reach Daraja. */
  async function mpesaOrder(quantity = 3) {
    const p = await createProduct(t.http, s, { priceKes: 1500, stock: 10 });
    const before = daraja.stkRequests.length;
    const { body: order } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity }]))
      .expect(201);
    await waitFor(() => daraja.stkRequests.length > before, 5000, 'the STK push');
    const push = daraja.stkRequests[daraja.stkRequests.length - 1];
    const [payment] = await waitFor(async () => {
      const rows = await sql<{ checkout_request_id: string | null }>(
        t.app,
        'select checkout_request_id from payments where order_id = ?',
        [order.id],
      );
      return rows[0]?.checkout_request_id ? rows : undefined;
    }, 5000);
    return { order, product: p, push, checkoutId: payment.checkout_request_id! };
  }
  const getOrder = async (id: string) =>
    (await t.http.get(`/api/orders/${id}`).set('Cookie', s.cookie).expect(200)).body;

  it('stores credentials encrypted and never shows them back', async () => {
    const view = await t.http.get('/api/payments/mpesa/settings').set('Cookie', s.cookie).expect(200);
    expect(view.body).toMatchObject({
      configured: true,
      shortcode: '174379',
      environment: 'sandbox',
      // The token is shown whole only to the session that created it; reads show it masked.
      callbackUrl: expect.stringMatching(/^https:\/\/api\.sokohub\.test\/api\/payments\/mpesa\/callback\/[\w-]{4}•+$/),
      callbackTokenShown: false,
    });
    const text = JSON.stringify(view.body);
    for (const secret of [CREDS.passkey, CREDS.consumerKey, CREDS.consumerSecret]) expect(text).not.toContain(secret);
    const [row] = await sql<Record<string, string>>(t.app, 'select * from mpesa_settings where seller_id = ?', [
      s.sellerId,
    ]);
    for (const secret of [CREDS.passkey, CREDS.consumerKey, CREDS.consumerSecret])
      expect(JSON.stringify(row)).not.toContain(secret);
    await t.http
      .put('/api/payments/mpesa/settings')
      .set('Cookie', s.cookie)
      .send({ ...CREDS, shortcode: 'abc' })
      .expect(400);
  });

  it("pushes an STK request in Daraja's shapes, with a cached OAuth token", async () => {
    const oauthBefore = daraja.oauthCalls;
    const { order, push } = await mpesaOrder();
    const b = push.body;
    expect(b).toMatchObject({
      BusinessShortCode: '174379',
      TransactionType: 'CustomerPayBillOnline',
      Amount: 4500,
      PartyA: '254712345678',
      PartyB: '174379',
      PhoneNumber: '254712345678',
      AccountReference: order.referenceCode.replace(/^SKH-/, ''),
    });
    expect(b.Timestamp).toMatch(/^\d{14}$/);
    expect(b.Password).toBe(Buffer.from(`174379${CREDS.passkey}${String(b.Timestamp)}`).toString('base64'));
    expect(b.CallBackURL).toBe(`https://api.sokohub.test${callbackPath}`);
    await mpesaOrder();
    expect(daraja.oauthCalls - oauthBefore).toBeLessThanOrEqual(1);
    expect(await events('PAYMENT_RECEIVED')).toHaveLength(0);
  });

  it('marks the order PAID on a success callback, emits ORDER_PAID and PAYMENT_RECEIVED, and ignores the same callback twice', async () => {
    const { order, checkoutId } = await mpesaOrder();
    const body = daraja.callback(checkoutId, { amount: 4500, receipt: 'QGH1234X5Y' });
    const ack = await t.http.post(callbackPath).send(body).expect(200);
    expect(ack.body).toEqual({ ResultCode: 0, ResultDesc: 'Accepted' });
    const paid = await getOrder(order.id);
    expect(paid).toMatchObject({ status: 'PAID', mpesaReceipt: 'QGH1234X5Y', paidAt: '2025-06-01T12:30:00.000Z' });
    expect(paid.timeline.map((e: { status: string; actor: string }) => `${e.status}:${e.actor}`)).toEqual([
      'PENDING:customer',
      'PAID:mpesa',
    ]);
    await t.http.post(callbackPath).send(body).expect(200, { ResultCode: 0, ResultDesc: 'Accepted' });
    expect(await events('ORDER_PAID')).toHaveLength(1);
    const received = await events('PAYMENT_RECEIVED');
    expect(received).toHaveLength(1);
    expect(received[0].data).toMatchObject({
      orderId: order.id,
      amountKes: 4500,
      mpesaReceipt: 'QGH1234X5Y',
      status: 'COMPLETED',
      phone: '+254712345678',
    });
    await waitFor(
      () =>
        rx.requests.some(
          (r) => r.json.event === 'ORDER_PAID' && (r.json.data as { orderId: string }).orderId === order.id,
        ),
      5000,
    );
  });

  it('keeps the order PENDING when the customer cancels (1032)', async () => {
    const { order, checkoutId } = await mpesaOrder();
    await t.http
      .post(callbackPath)
      .send(daraja.callback(checkoutId, { resultCode: 1032 }))
      .expect(200);
    expect((await getOrder(order.id)).status).toBe('PENDING');
    const [payment] = await sql<{ status: string; result_code: number }>(
      t.app,
      'select status, result_code from payments where order_id = ?',
      [order.id],
    );
    expect(payment).toEqual({ status: 'FAILED', result_code: 1032 });
  });

  it('records and flags an amount that differs from the order total instead of accepting it', async () => {
    const { order, checkoutId } = await mpesaOrder();
    await t.http
      .post(callbackPath)
      .send(daraja.callback(checkoutId, { amount: 4000, receipt: 'QGH0000SHT' }))
      .expect(200);
    expect((await getOrder(order.id)).status).toBe('PENDING');
    const [payment] = await sql<{ status: string; amount_kes: number; flag_reason: string }>(
      t.app,
      'select status, amount_kes, flag_reason from payments where order_id = ?',
      [order.id],
    );
    expect(payment).toEqual({
      status: 'FLAGGED',
      amount_kes: 4000,
      flag_reason: 'Paid 4000 but the order total is 4500',
    });
  });

  it('acknowledges an unknown CheckoutRequestID without changing anything, and 404s an unknown token', async () => {
    const before = await sql(t.app, 'select count(*)::int as n from payments');
    await t.http
      .post(callbackPath)
      .send(daraja.callback('ws_CO_unknown', { amount: 10 }))
      .expect(200, { ResultCode: 0, ResultDesc: 'Accepted' });
    await t.http.post(callbackPath).send({ hello: 'world' }).expect(200);
    expect(await sql(t.app, 'select count(*)::int as n from payments')).toEqual(before);
    await t.http
      .post('/api/payments/mpesa/callback/not-a-real-token-at-all-000')
      .send(daraja.callback('x'))
      .expect(404);
  });

  it('records a payment seen on the till; a receipt this shop already recorded is 409 CONFLICT', async () => {
    const p = await createProduct(t.http, s, { priceKes: 2000 });
    const { body: order } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    const paid = await t.http
      .post(`/api/orders/${order.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'qkl9x8y7z6', amountKes: 2000 })
      .expect(201);
    expect(paid.body).toMatchObject({
      method: 'MANUAL',
      status: 'COMPLETED',
      mpesaReceipt: 'QKL9X8Y7Z6',
      amountKes: 2000,
    });
    expect(await getOrder(order.id)).toMatchObject({ status: 'PAID', mpesaReceipt: 'QKL9X8Y7Z6' });
    const { body: other } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    const dup = await t.http
      .post(`/api/orders/${other.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'QKL9X8Y7Z6', amountKes: 2000 })
      .expect(409);
    expect(dup.body).toEqual({
      success: false,
      code: 'CONFLICT',
      message: 'M-Pesa receipt QKL9X8Y7Z6 has already been recorded',
      statusCode: 409,
    });
    await t.http
      .post(`/api/orders/${other.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'x', amountKes: 2000 })
      .expect(400);
    // A till payment seen by the seller follows the till's amount rules: part now, the rest later, PAID when complete.
    const part = await t.http
      .post(`/api/orders/${other.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'QKL0000001', amountKes: 500 })
      .expect(201);
    expect(part.body).toMatchObject({ status: 'COMPLETED', amountKes: 500 });
    expect(await getOrder(other.id)).toMatchObject({ status: 'PENDING', amountPaidKes: 500, amountDueKes: 1500 });
    await t.http
      .post(`/api/orders/${other.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'QKL0000002', amountKes: 1500 })
      .expect(201);
    const settled = await getOrder(other.id);
    expect(settled).toMatchObject({ status: 'PAID', amountPaidKes: 2000, amountDueKes: 0, mpesaReceipt: 'QKL0000002' });
    expect(settled.timeline.at(-2).note).toBe(
      'recorded by hand (seen on the till): M-Pesa QKL0000001, KES 500; KES 1,500 still due',
    );
    // More than is due: PAID, and the payment flagged for the seller to refund the rest.
    const { body: third } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
      .expect(201);
    const over = await t.http
      .post(`/api/orders/${third.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'QKL0000003', amountKes: 2500 })
      .expect(201);
    expect(over.body).toMatchObject({ status: 'FLAGGED', flagReason: 'Overpaid by KES 500: refund the customer' });
    expect(await getOrder(third.id)).toMatchObject({ status: 'PAID' });

    // Refunded: the seller marks it dealt with, and the review queue empties (the payment stays FLAGGED).
    const toReview = async () =>
      (await t.http.get('/api/payments?status=FLAGGED&resolved=false').set('Cookie', s.cookie).expect(200)).body;
    expect((await toReview()).data.map((x: { id: string }) => x.id)).toContain(over.body.id);
    const viewer = await addMember(t.http, s, 'VIEWER');
    const resolve = (id: string, who = s.cookie, note = 'Refunded KES 500 to the buyer') =>
      t.http.post(`/api/payments/${id}/resolve`).set('Cookie', who).send({ note });
    await resolve(over.body.id, viewer.cookie).expect(403);
    await resolve(over.body.id, (await registerSeller(t.http)).cookie).expect(404);
    await resolve(over.body.id, s.cookie, ' ').expect(400);
    await resolve(part.body.id).expect(409); // not flagged
    const updates: PaymentEventData[] = [];
    const watch = ({ event }: DomainEventEnvelope) => {
      if (event.name === 'PAYMENT_UPDATED') updates.push(event.data as PaymentEventData);
    };
    t.app.get(EventEmitter2).on(DOMAIN_EVENT_CHANNEL, watch);
    // Operators see what waits for a seller: a payment marked dealt with no longer does.
    const flaggedGauge = async () => {
      await new Promise((r) => setTimeout(r, 1100)); // the gauge's read is kept for a second
      const text = (await t.http.get('/metrics').expect(200)).text;
      return Number(/^mpesa_payments_waiting\{state="flagged"\} (\d+)$/m.exec(text)?.[1]);
    };
    const flaggedBefore = await flaggedGauge();
    expect(flaggedBefore).toBeGreaterThan(0);
    const resolved = await resolve(over.body.id).expect(200);
    expect(await flaggedGauge()).toBe(flaggedBefore - 1);
    t.app.get(EventEmitter2).off(DOMAIN_EVENT_CHANNEL, watch);
    expect(updates).toEqual([
      expect.objectContaining({ paymentId: over.body.id, status: 'FLAGGED', referenceCode: third.referenceCode }),
    ]);
    expect(resolved.body).toMatchObject({
      status: 'FLAGGED',
      resolution: 'Refunded KES 500 to the buyer',
      resolvedBy: s.email,
      resolvedAt: expect.any(String),
    });
    expect((await toReview()).data.map((x: { id: string }) => x.id)).not.toContain(over.body.id);
    await resolve(over.body.id).expect(409);
    expect(await getOrder(third.id)).toMatchObject({ status: 'PAID' });
    const b = await registerSeller(t.http);
    await t.http
      .post(`/api/orders/${other.id}/payments`)
      .set('Cookie', b.cookie)
      .send({ mpesaReceipt: 'QKL1111111', amountKes: 2000 })
      .expect(404);
  });

  it('flags a payment for an order that was cancelled meanwhile, and never marks it paid', async () => {
    const { order, checkoutId } = await mpesaOrder(1);
    await t.http
      .post(`/api/orders/${order.id}/cancel`)
      .set('Cookie', s.cookie)
      .send({ reason: 'Out of town' })
      .expect(200);
    await t.http
      .post(callbackPath)
      .send(daraja.callback(checkoutId, { amount: 1500, receipt: 'QLATE00001' }))
      .expect(200);
    expect((await getOrder(order.id)).status).toBe('CANCELLED');
    const [payment] = await sql<{ status: string; flag_reason: string }>(
      t.app,
      'select status, flag_reason from payments where order_id = ?',
      [order.id],
    );
    expect(payment).toEqual({ status: 'FLAGGED', flag_reason: 'Paid, but the order was cancelled' });
  });

  it('records a refused STK push as a failed payment and leaves the order PENDING; no credentials, no push', async () => {
    daraja.refuseStk = true;
    try {
      const p = await createProduct(t.http, s);
      const { body: order } = await t.http
        .post('/api/orders')
        .send(orderBody(s, [{ productId: p.id, quantity: 1 }]))
        .expect(201);
      const [payment] = await waitFor(async () => {
        const rows = await sql<{ status: string; result_desc: string }>(
          t.app,
          'select status, result_desc from payments where order_id = ?',
          [order.id],
        );
        return rows[0]?.status === 'FAILED' ? rows : undefined;
      }, 5000);
      expect(payment.result_desc).toMatch(/STK push refused \(500\)/);
      expect((await getOrder(order.id)).status).toBe('PENDING');
    } finally {
      daraja.refuseStk = false;
    }
    const plain = await registerSeller(t.http);
    const p = await createProduct(t.http, plain);
    const before = daraja.stkRequests.length;
    const { body: order } = await t.http
      .post('/api/orders')
      .send(orderBody(plain, [{ productId: p.id, quantity: 1 }]))
      .expect(201);
    await new Promise((r) => setTimeout(r, 200));
    expect(daraja.stkRequests.length).toBe(before);
    expect((await sql(t.app, 'select 1 from payments where order_id = ?', [order.id])).length).toBe(0);
  });
});
