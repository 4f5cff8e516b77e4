import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEventEnvelope } from '../../src/database/unit-of-work.js';
import { DOMAIN_EVENT_CHANNEL } from '../../src/events/domain-event.js';
import { addMember } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { c2bTestEnv, DARAJA_CREDS, mpesaShop } from '../support/mpesa-shop.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import type { SellerSession } from '../support/factories.js';

const DARAJA_IP = '196.201.214.10';

interface OrderView {
  id: string;
  referenceCode: string;
  status: string;
  totalKes: number;
  amountPaidKes: number;
  amountDueKes: number;
  mpesaReceipt: string | null;
  paidAt: string | null;
  timeline: { status: string; actor: string; note: string | null }[];
}

/**
 * Cash on delivery, paid by M-Pesa at the door: the seller confirms and dispatches without payment, and the buyer pays
 * the till when the rider arrives. The payment counts toward the order; it is not flagged for a refund.
 */
describe('Cash on delivery paid to the till at the door (e2e, fake Daraja)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let rx: Receiver;
  let s: SellerSession;
  let confirmPath: string;
  let seq = 0;

  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    rx = await startReceiver();
    t = await bootApp(c2bTestEnv(daraja.url));
  });
  beforeEach(async () => {
    ({ shop: s } = await mpesaShop(t.http, rx.url));
    const reg = await t.http.post('/api/payments/mpesa/c2b/register').set('Cookie', s.cookie).send({}).expect(200);
    confirmPath = new URL(reg.body.confirmationUrl).pathname;
  });
  afterAll(async () => {
    await t.close();
    await daraja.close();
    await rx.close();
  });

  const transId = () => `TD${String(++seq).padStart(4, '0')}WXYZ`;
  const getOrder = async (id: string): Promise<OrderView> =>
    (await t.http.get(`/api/orders/${id}`).set('Cookie', s.cookie).expect(200)).body;
  const move = (id: string, action: string) =>
    t.http.post(`/api/orders/${id}/${action}`).set('Cookie', s.cookie).send({}).expect(200);
  const confirm = (body: object) =>
    t.http
      .post(confirmPath)
      .set('X-Forwarded-For', DARAJA_IP)
      .send(body)
      .expect(200, { ResultCode: 0, ResultDesc: 'Accepted' });
  const paymentsOf = async (orderId: string) =>
    (await t.http.get(`/api/payments?orderId=${orderId}`).set('Cookie', s.cookie).expect(200)).body.data;
  const awaiting = async (flag: boolean) =>
    (
      await t.http.get(`/api/orders?awaitingPayment=${flag}&limit=100`).set('Cookie', s.cookie).expect(200)
    ).body.data.map((o: { id: string }) => o.id);

  /** A cash-on-delivery order of `quantity` × KES 1,500, confirmed and (by default) dispatched. */
  async function onItsWay(quantity = 2, dispatch = true, extra: Record<string, unknown> = {}): Promise<OrderView> {
    const p = await createProduct(t.http, s, { priceKes: 1500, stock: 20 });
    const { body } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity }], { paymentMethod: 'CASH_ON_DELIVERY', ...extra }))
      .expect(201);
    await move(body.id, 'confirm');
    if (dispatch) await move(body.id, 'dispatch');
    return getOrder(body.id);
  }

  it('counts a till payment at the door toward a dispatched order, found by amount and phone, and keeps its state', async () => {
    const o = await onItsWay();
    expect(o).toMatchObject({ status: 'DISPATCHED', amountPaidKes: 0, amountDueKes: 3000 });
    expect(await awaiting(true)).toContain(o.id);
    expect(await awaiting(false)).not.toContain(o.id);

    const body = daraja.c2bConfirmation({ transId: transId(), amount: 3000, till: true, msisdn: '2547*****678' });
    await confirm(body);
    const paid = await getOrder(o.id);
    expect(paid).toMatchObject({
      status: 'DISPATCHED',
      amountPaidKes: 3000,
      amountDueKes: 0,
      mpesaReceipt: body.TransID,
      paidAt: expect.any(String),
    });
    expect(paid.timeline.at(-1)).toMatchObject({ status: 'DISPATCHED', actor: 'mpesa' });
    expect(paid.timeline.at(-1)!.note).toBe(
      `paid at the door, paid to the till (Buy Goods): M-Pesa ${body.TransID}, KES 3,000`,
    );
    const [payment] = await paymentsOf(o.id);
    expect(payment).toMatchObject({ status: 'COMPLETED', matchedBy: 'amount-and-phone', flagReason: null });
    expect(await awaiting(true)).not.toContain(o.id);
    expect(await awaiting(false)).toContain(o.id);
    // Delivered afterwards as usual.
    await move(o.id, 'deliver');
    expect(await getOrder(o.id)).toMatchObject({ status: 'DELIVERED', amountPaidKes: 3000, amountDueKes: 0 });
  });

  it('takes part of it, then the rest; beyond what is left it flags the surplus; paid in full, it flags it all', async () => {
    const o = await onItsWay(2, false);
    expect(o).toMatchObject({ status: 'CONFIRMED', amountDueKes: 3000 });
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1000, billRef: o.referenceCode }));
    const part = await getOrder(o.id);
    expect(part).toMatchObject({ status: 'CONFIRMED', amountPaidKes: 1000, amountDueKes: 2000, paidAt: null });
    expect(part.timeline.at(-1)!.note).toContain('KES 2,000 still to collect');

    // The rest, recorded by hand from the till, 500 over: counted, and the 500 flagged for a refund.
    const over = await t.http
      .post(`/api/orders/${o.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'QCD0000001', amountKes: 2500 })
      .expect(201);
    expect(over.body).toMatchObject({ status: 'FLAGGED', flagReason: 'Overpaid by KES 500: refund the customer' });
    expect(await getOrder(o.id)).toMatchObject({ status: 'CONFIRMED', amountPaidKes: 3500, amountDueKes: 0 });

    // Nothing left to collect: a further payment naming it is flagged whole.
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 3000, billRef: o.referenceCode }));
    const flagged = (await paymentsOf(o.id)).find((p: { amountKes: number }) => p.amountKes === 3000);
    expect(flagged).toMatchObject({
      status: 'FLAGGED',
      flagReason: 'Paid, but the order was already paid in full (CONFIRMED): refund the customer',
    });
    expect((await getOrder(o.id)).amountPaidKes).toBe(3500);
  });

  it('takes a payment that arrives after the rider marked it delivered; an M-Pesa order past PENDING is still flagged', async () => {
    const o = await onItsWay(1);
    await move(o.id, 'deliver');
    // Delivered: the cash or the M-Pesa is assumed taken at the door, so nothing reads as due.
    expect(await getOrder(o.id)).toMatchObject({ status: 'DELIVERED', amountDueKes: 0 });
    expect(await awaiting(true)).not.toContain(o.id);
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1500, till: true }));
    expect(await getOrder(o.id)).toMatchObject({ status: 'DELIVERED', amountPaidKes: 1500 });
    expect((await paymentsOf(o.id))[0]).toMatchObject({ status: 'COMPLETED' });

    // An M-Pesa order confirmed after it was paid: a second payment is money to give back.
    const p = await createProduct(t.http, s, { priceKes: 700, stock: 5 });
    const { body: m } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity: 1 }]))
      .expect(201);
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 700, billRef: m.referenceCode }));
    await move(m.id, 'confirm');
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 700, billRef: m.referenceCode }));
    const second = (await paymentsOf(m.id)).find((x: { status: string }) => x.status === 'FLAGGED');
    expect(second.flagReason).toBe('Paid, but the order was already CONFIRMED: refund the customer');
  });

  it('leaves a till payment unmatched when a pending order and one on its way wait for the same amount and phone', async () => {
    const o = await onItsWay(1);
    const p = await createProduct(t.http, s, { priceKes: 1500, stock: 5 });
    const { body: pending } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity: 1 }]))
      .expect(201);
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1500, till: true }));
    expect((await getOrder(o.id)).amountPaidKes).toBe(0);
    expect((await getOrder(pending.id)).status).toBe('PENDING');
    const waiting = await t.http.get('/api/payments?matched=false').set('Cookie', s.cookie).expect(200);
    const [unmatched] = waiting.body.data;
    expect(unmatched).toMatchObject({ amountKes: 1500 });

    // The seller assigns it to the order on its way (a VIEWER cannot).
    const viewer = await addMember(t.http, s, 'VIEWER');
    await t.http
      .post(`/api/payments/${unmatched.id}/assign`)
      .set('Cookie', viewer.cookie)
      .send({ orderId: o.id })
      .expect(403);
    await t.http
      .post(`/api/payments/${unmatched.id}/assign`)
      .set('Cookie', s.cookie)
      .send({ orderId: o.id })
      .expect(200);
    expect(await getOrder(o.id)).toMatchObject({ status: 'DISPATCHED', amountPaidKes: 1500, amountDueKes: 0 });
    expect((await getOrder(o.id)).timeline.at(-1)!.note).toMatch(/^paid at the door, .*assigned by /);
  });

  it('with validation on, accepts a paybill payment naming an order on its way until it is paid in full', async () => {
    const o = await onItsWay(1);
    await t.http
      .put('/api/payments/mpesa/settings')
      .set('Cookie', s.cookie)
      .send({ ...DARAJA_CREDS, c2bValidation: true })
      .expect(200);
    const validate = async (amount: number) =>
      (
        await t.http
          .post(confirmPath.replace(/confirmation$/, 'validation'))
          .set('X-Forwarded-For', DARAJA_IP)
          .send(daraja.c2bConfirmation({ transId: transId(), amount, billRef: o.referenceCode }))
          .expect(200)
      ).body;
    expect(await validate(1500)).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1500, billRef: o.referenceCode }));
    expect(await getOrder(o.id)).toMatchObject({ status: 'DISPATCHED', amountPaidKes: 1500 });
    // Paid in full: the buyer's second payment is refused at once rather than refunded later.
    expect(await validate(1500)).toEqual({ ResultCode: 'C2B00012', ResultDesc: 'Rejected' });
  });

  it('flags for a refund every payment counted toward an order the seller then cancels; an unpaid one flags nothing', async () => {
    const updates: { paymentId: string; status: string; referenceCode: string | null }[] = [];
    const watch = ({ event }: DomainEventEnvelope) => {
      if (event.name === 'PAYMENT_UPDATED') updates.push(event.data as (typeof updates)[number]);
    };
    t.app.get(EventEmitter2).on(DOMAIN_EVENT_CHANNEL, watch);
    try {
      // Cash on delivery, part paid at the door, then called off.
      const cod = await onItsWay(2, false);
      await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1000, billRef: cod.referenceCode }));
      // An M-Pesa order paid in full to the paybill, then cancelled (out of stock after all).
      const p = await createProduct(t.http, s, { priceKes: 800, stock: 5 });
      const { body: paid } = await t.http
        .post('/api/orders')
        .send(orderBody(s, [{ productId: p.id, quantity: 1 }], { customerPhone: '0733 222 111' }))
        .expect(201);
      await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 800, billRef: paid.referenceCode }));
      expect((await getOrder(paid.id)).status).toBe('PAID');
      const unpaid = await onItsWay(1, false);
      updates.length = 0;

      const cancel = (id: string) =>
        t.http.post(`/api/orders/${id}/cancel`).set('Cookie', s.cookie).send({ reason: 'Out of stock' }).expect(200);
      for (const o of [cod, paid, unpaid]) await cancel(o.id);
      const [codPayment] = await paymentsOf(cod.id);
      expect(codPayment).toMatchObject({
        status: 'FLAGGED',
        flagReason: 'The order was cancelled after this payment (KES 1,000): refund the customer',
      });
      const [mpesaPayment] = await paymentsOf(paid.id);
      expect(mpesaPayment).toMatchObject({ status: 'FLAGGED', flagReason: expect.stringContaining('KES 800') });
      expect(await paymentsOf(unpaid.id)).toEqual([]);
      expect(updates).toEqual([
        expect.objectContaining({ paymentId: codPayment.id, status: 'FLAGGED', referenceCode: cod.referenceCode }),
        expect.objectContaining({ paymentId: mpesaPayment.id, status: 'FLAGGED', referenceCode: paid.referenceCode }),
      ]);
      // Both wait in the review queue until the seller says what was done.
      const queue = await t.http.get('/api/payments?status=FLAGGED&resolved=false').set('Cookie', s.cookie).expect(200);
      expect(queue.body.data.map((x: { id: string }) => x.id)).toEqual(
        expect.arrayContaining([codPayment.id, mpesaPayment.id]),
      );
      await t.http
        .post(`/api/payments/${codPayment.id}/resolve`)
        .set('Cookie', s.cookie)
        .send({ note: 'Sent KES 1,000 back by M-Pesa' })
        .expect(200);
    } finally {
      t.app.get(EventEmitter2).off(DOMAIN_EVENT_CHANNEL, watch);
    }
  });

  it('rejects a malformed awaitingPayment filter with a 400', async () => {
    const bad = await t.http.get('/api/orders?awaitingPayment=maybe').set('Cookie', s.cookie).expect(400);
    expect(bad.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'Validation failed: awaitingPayment must be true or false',
    });
  });
});
