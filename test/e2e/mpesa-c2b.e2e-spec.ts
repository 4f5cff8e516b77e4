import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DomainEventEnvelope } from '../../src/database/unit-of-work.js';
import { DOMAIN_EVENT_CHANNEL } from '../../src/events/domain-event.js';
import { PaymentJobsService } from '../../src/payments/payment-jobs.service.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { c2bTestEnv, DARAJA_CREDS, mpesaShop } from '../support/mpesa-shop.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';

/** Safaricom's address in these tests (through TRUST_PROXY); anything else is an outsider. */
const DARAJA_IP = '196.201.214.10';
const OUTSIDER_IP = '10.20.30.40';
const INITIATOR = { initiatorName: 'sokohub-api-operator', securityCredential: 'c2VjdXJpdHktY3JlZGVudGlhbC1ibG9i' };

/** Issue #25: till and paybill payments, through Daraja's C2B API, matched to orders. */
describe('Till and paybill payments (C2B) against a local fake Daraja (e2e)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let rx: Receiver;
  let s: SellerSession;
  let confirmPath: string;
  let validatePath: string;
  let seq = 0;
  /** PAYMENT_UPDATED is internal (partners get it mapped; seller endpoints cannot subscribe): watched as emitted. */
  const updates: Record<string, unknown>[] = [];

  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    rx = await startReceiver();
    t = await bootApp(c2bTestEnv(daraja.url));
    t.app.get(EventEmitter2).on(DOMAIN_EVENT_CHANNEL, ({ event }: DomainEventEnvelope) => {
      if (event.name === 'PAYMENT_UPDATED') updates.push(event.data);
    });
  });
  beforeEach(async () => {
    ({ shop: s } = await mpesaShop(t.http, rx.url));
    const reg = await t.http.post('/api/payments/mpesa/c2b/register').set('Cookie', s.cookie).send({}).expect(200);
    confirmPath = new URL(reg.body.confirmationUrl).pathname;
    validatePath = new URL(reg.body.validationUrl).pathname;
  });
  afterAll(async () => {
    await t.close();
    await daraja.close();
    await rx.close();
  });

  const transId = () => `TX${String(++seq).padStart(4, '0')}ABCD`;
  const events = async (name: string) =>
    sql<{ data: Record<string, unknown> }>(
      t.app,
      'select data from webhook_events where seller_id = ? and name = ? order by occurred_at, id',
      [s.sellerId, name],
    );
  const getOrder = async (id: string, shop = s) =>
    (await t.http.get(`/api/orders/${id}`).set('Cookie', shop.cookie).expect(200)).body;
  const payments = async (orderId: string) =>
    (await t.http.get(`/api/payments?orderId=${orderId}`).set('Cookie', s.cookie).expect(200)).body.data.filter(
      (p: { method: string }) => p.method === 'C2B',
    );
  /** An M-Pesa order of `quantity` × KES 1,500. */
  async function order(quantity = 3, extra: Record<string, unknown> = {}, stock = 10) {
    const p = await createProduct(t.http, s, { priceKes: 1500, stock });
    const { body } = await t.http
      .post('/api/orders')
      .send(orderBody(s, [{ productId: p.id, quantity }], extra))
      .expect(201);
    return { order: body as { id: string; referenceCode: string; totalKes: number }, product: p };
  }
  const confirm = (body: object, ip = DARAJA_IP) =>
    t.http
      .post(confirmPath)
      .set('X-Forwarded-For', ip)
      .send(body)
      .expect(200, { ResultCode: 0, ResultDesc: 'Accepted' });

  it('registers the confirmation and validation URLs with Daraja (v2), in words Safaricom accepts; owners only', async () => {
    const reg = daraja.registrations.at(-1)!;
    expect(reg).toMatchObject({ ShortCode: '174379', ResponseType: 'Completed' });
    expect(reg.ConfirmationURL).toMatch(/^https:\/\/api\.sokohub\.test\/api\/c2b\/[\w-]{32}\/confirmation$/);
    expect(reg.ValidationURL).toBe(String(reg.ConfirmationURL).replace(/confirmation$/, 'validation'));
    for (const word of ['mpesa', 'safaricom', 'exe', 'cmd', 'sql', 'query'])
      expect(`${String(reg.ConfirmationURL)}${String(reg.ValidationURL)}`.toLowerCase()).not.toContain(word);
    const token = String(reg.ConfirmationURL).split('/')[5];
    // Reads show the registration with the token masked.
    const view = await t.http.get('/api/payments/mpesa/settings').set('Cookie', s.cookie).expect(200);
    expect(view.body.c2b).toMatchObject({ registered: true, responseType: 'Completed' });
    expect(JSON.stringify(view.body)).not.toContain(token);
    // The same token on a second registration (Daraja keeps the URLs it has).
    const again = await t.http
      .post('/api/payments/mpesa/c2b/register')
      .set('Cookie', s.cookie)
      .send({ responseType: 'Cancelled' })
      .expect(200);
    expect(again.body).toMatchObject({ registered: true, responseType: 'Cancelled', darajaResponse: 'Success' });
    expect(again.body.confirmationUrl).toBe(reg.ConfirmationURL);
    // Rotating the STK callback leaves the C2B URLs alone.
    await t.http.post('/api/payments/mpesa/settings/rotate-callback').set('Cookie', s.cookie).expect(200);
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 10, billRef: 'nothing' }));

    const manager = await addMember(t.http, s, 'MANAGER');
    await t.http.post('/api/payments/mpesa/c2b/register').set('Cookie', manager.cookie).send({}).expect(403);
    const key = await t.http.post('/api/api-keys').set('Cookie', s.cookie).send({ name: 'k', access: 'full' });
    await t.http
      .post('/api/payments/mpesa/c2b/register')
      .set('Authorization', `Bearer ${key.body.key}`)
      .send({})
      .expect(403);
    daraja.refuseRegistration = 'Bad Request - Invalid ValidationURL';
    const refused = await t.http.post('/api/payments/mpesa/c2b/register').set('Cookie', s.cookie).send({});
    daraja.refuseRegistration = undefined;
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('Invalid ValidationURL');
    const audit = await t.http.get('/api/audit-log').set('Cookie', s.cookie).expect(200);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'mpesa.c2b-registered')).toHaveLength(2);
    // A shop without M-Pesa settings has nothing to register.
    const bare = await registerSeller(t.http);
    await t.http.post('/api/payments/mpesa/c2b/register').set('Cookie', bare.cookie).send({}).expect(404);
  });

  it('pays an order named by the paybill account number (case, spaces and prefix forgiven), once per TransID', async () => {
    const { order: o } = await order();
    const [, year, num] = /^SKH-(\d{4})-(\d+)$/.exec(o.referenceCode)!;
    const body = daraja.c2bConfirmation({ transId: transId(), amount: 4500, billRef: ` skh ${year} ${num} ` });
    await confirm(body);
    const paid = await getOrder(o.id);
    expect(paid).toMatchObject({ status: 'PAID', amountPaidKes: 4500, amountDueKes: 0, mpesaReceipt: body.TransID });
    expect(paid.timeline.at(-1)).toMatchObject({ status: 'PAID', actor: 'mpesa' });
    expect(paid.timeline.at(-1).note).toContain('paid to the till');
    // Daraja repeats confirmations: nothing changes.
    await confirm(body);
    await confirm(body, OUTSIDER_IP);
    expect(await events('ORDER_PAID')).toHaveLength(1);
    const received = await events('PAYMENT_RECEIVED');
    expect(received).toHaveLength(1);
    expect(received[0].data).toMatchObject({
      orderId: o.id,
      referenceCode: o.referenceCode,
      amountKes: 4500,
      mpesaReceipt: body.TransID,
      phone: '+2547*****678',
      payerName: 'Amina Wanjiku',
      accountNumber: `skh ${year} ${num}`,
      method: 'C2B',
      channel: 'PAYBILL',
      matched: true,
      matchedBy: 'reference',
      status: 'COMPLETED',
    });
    expect(await payments(o.id)).toHaveLength(1);
    const log = await sql<{ outcome: string }>(
      t.app,
      "select outcome from payment_callbacks where seller_id = ? and kind = 'c2b-confirmation' order by received_at",
      [s.sellerId],
    );
    expect(log.map((l) => l.outcome.split(':')[0])).toEqual([expect.stringMatching(/^recorded/), 'repeat', 'repeat']);

    // "2025-00042" and "00042" name the same order.
    const { order: second } = await order(1);
    const shortRef = second.referenceCode.replace(/^SKH-\d{4}-/, '');
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1500, billRef: shortRef }));
    expect((await getOrder(second.id)).status).toBe('PAID');
  });

  it('pays a till order by amount and the visible digits of the masked phone, exactly one candidate or none', async () => {
    const { order: o } = await order(2);
    await order(2, { customerPhone: '0733 000 111' }); // same amount, another phone
    const body = daraja.c2bConfirmation({ transId: transId(), amount: 3000, till: true, msisdn: '2547*****678' });
    await confirm(body);
    const paid = await getOrder(o.id);
    expect(paid).toMatchObject({ status: 'PAID', amountPaidKes: 3000 });
    expect(paid.timeline.at(-1).note).toContain('paid to the till (Buy Goods)');
    const [p] = await payments(o.id);
    expect(p).toMatchObject({ channel: 'TILL', matchedBy: 'amount-and-phone', accountNumber: null });

    // Two open orders of the same amount and phone: the payment cannot tell them apart and waits for the seller.
    const { order: a } = await order(1);
    const { order: b } = await order(1);
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1500, till: true }));
    expect((await getOrder(a.id)).status).toBe('PENDING');
    expect((await getOrder(b.id)).status).toBe('PENDING');
    const waiting = await t.http.get('/api/payments?matched=false').set('Cookie', s.cookie).expect(200);
    expect(waiting.body.data.map((x: { amountKes: number }) => x.amountKes)).toContain(1500);
  });

  it('keeps a part payment against the order until a second one completes it; the clock does not cancel it', async () => {
    const { order: o } = await order();
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 1000, billRef: o.referenceCode }));
    const part = await getOrder(o.id);
    expect(part).toMatchObject({ status: 'PENDING', amountPaidKes: 1000, amountDueKes: 3500 });
    expect(part.timeline.at(-1).note).toContain('KES 3,500 still due');
    expect(await events('ORDER_PAID')).toHaveLength(0);
    expect((await events('PAYMENT_RECEIVED'))[0].data).toMatchObject({ amountKes: 1000, status: 'COMPLETED' });
    await sql(t.app, "update orders set created_at = now() - interval '2 hours' where id = ?", [o.id]);
    await t.app.get(PaymentJobsService).tick();
    expect((await getOrder(o.id)).status).toBe('PENDING');
    // The rest, to the till: the amount due (3,500) and the phone find it.
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 3500, till: true }));
    expect(await getOrder(o.id)).toMatchObject({ status: 'PAID', amountPaidKes: 4500, amountDueKes: 0 });
    expect(await events('ORDER_PAID')).toHaveLength(1);
    expect(await payments(o.id)).toHaveLength(2);
  });

  it('marks an overpaid order PAID and flags the overpayment for a refund', async () => {
    const { order: o } = await order();
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 5000, billRef: o.referenceCode }));
    expect(await getOrder(o.id)).toMatchObject({ status: 'PAID', amountPaidKes: 5000, amountDueKes: 0 });
    const [p] = await payments(o.id);
    expect(p).toMatchObject({
      status: 'FLAGGED',
      amountKes: 5000,
      flagReason: 'Overpaid by KES 500: refund the customer',
    });
    expect(updates.at(-1)).toMatchObject({ status: 'FLAGGED', paymentId: p.id });
    // Paying an order already paid is flagged too, never applied twice.
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 4500, billRef: o.referenceCode }));
    const flagged = (await payments(o.id)).find((x: { amountKes: number }) => x.amountKes === 4500);
    expect(flagged.flagReason).toMatch(/already PAID/);
    expect((await getOrder(o.id)).amountPaidKes).toBe(5000);
  });

  it('pays nothing on a confirmation from outside the allow-list until Transaction Status agrees', async () => {
    await t.http
      .put('/api/payments/mpesa/settings')
      .set('Cookie', s.cookie)
      .send({ ...DARAJA_CREDS, ...INITIATOR })
      .expect(200)
      .expect((res) => {
        expect(res.body.initiatorConfigured).toBe(true);
        expect(JSON.stringify(res.body)).not.toContain(INITIATOR.securityCredential);
      });
    const { order: o } = await order();
    // A forger who learned the URL claims a payment that never happened.
    const forged = daraja.c2bConfirmation({ transId: transId(), amount: 4500, billRef: o.referenceCode });
    const before = daraja.statusRequests.length;
    await confirm(forged, OUTSIDER_IP);
    expect((await getOrder(o.id)).status).toBe('PENDING');
    expect(await events('PAYMENT_RECEIVED')).toHaveLength(0);
    await waitFor(() => daraja.statusRequests.length > before, 5000, 'the Transaction Status request');
    const ask = daraja.statusRequests.at(-1)!;
    expect(ask).toMatchObject({
      Initiator: INITIATOR.initiatorName,
      SecurityCredential: INITIATOR.securityCredential,
      CommandID: 'TransactionStatusQuery',
      TransactionID: forged.TransID,
      PartyA: '174379',
    });
    const resultPath = new URL(String(ask.ResultURL)).pathname;
    expect(resultPath).toMatch(/^\/api\/c2b\/status\/[\w-]{32}\/result$/);
    // A guessed result URL is nobody's.
    await t.http
      .post('/api/c2b/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/result')
      .send(daraja.statusResult({ transId: 'X' }))
      .expect(404);
    await t.http
      .post(resultPath)
      .send(
        daraja.statusResult({
          transId: forged.TransID,
          resultCode: 1,
          desc: 'The transaction receipt number does not exist',
        }),
      )
      .expect(200);
    const [refused] = await payments(o.id);
    expect(refused).toMatchObject({ status: 'FAILED', receiptVerified: false });
    expect((await getOrder(o.id)).status).toBe('PENDING');
    await t.http
      .post(resultPath)
      .send(daraja.statusResult({ transId: forged.TransID }))
      .expect(404); // single use

    // A real payment that came by another route: Daraja's own amount decides, not the confirmation's.
    const real = daraja.c2bConfirmation({ transId: transId(), amount: 9000, billRef: o.referenceCode });
    const n = daraja.statusRequests.length;
    await confirm(real, OUTSIDER_IP);
    await waitFor(() => daraja.statusRequests.length > n, 5000, 'the second Transaction Status request');
    expect((await getOrder(o.id)).status).toBe('PENDING');
    await t.http
      .post(new URL(String(daraja.statusRequests.at(-1)!.ResultURL)).pathname)
      .send(daraja.statusResult({ transId: real.TransID, amount: 4500 }))
      .expect(200);
    expect(await getOrder(o.id)).toMatchObject({ status: 'PAID', amountPaidKes: 4500 });
    const received = await events('PAYMENT_RECEIVED');
    expect(received).toHaveLength(1);
    expect(received[0].data).toMatchObject({ mpesaReceipt: real.TransID, amountKes: 4500 });
    const detail = await t.http.get(`/api/payments/${received[0].data.paymentId as string}`).set('Cookie', s.cookie);
    expect(detail.body.callbacks.map((c: { outcome: string }) => c.outcome).join(' | ')).toMatch(
      /recorded only.*\| confirmed with Daraja's amount 4500 \(the confirmation said 9000\)/,
    );
  });

  it("without initiator credentials, an outsider's confirmation waits; Daraja's own copy then counts", async () => {
    const { order: o } = await order();
    const body = daraja.c2bConfirmation({ transId: transId(), amount: 4500, billRef: o.referenceCode });
    await confirm(body, OUTSIDER_IP);
    const [waiting] = await waitFor(async () => {
      const rows = await payments(o.id);
      return rows[0]?.resultDesc?.startsWith('Cannot confirm') ? rows : undefined;
    }, 5000);
    expect(waiting).toMatchObject({ status: 'PENDING', receiptVerified: false });
    await confirm(body); // from Daraja's address
    expect((await getOrder(o.id)).status).toBe('PAID');
    expect(await payments(o.id)).toHaveLength(1);
    expect(await events('PAYMENT_RECEIVED')).toHaveLength(1);
  });

  it('keeps an unmatched payment for the seller, who assigns it to an order (MANAGER; VIEWERs and other shops cannot)', async () => {
    const { order: o } = await order();
    const body = daraja.c2bConfirmation({ transId: transId(), amount: 4500, billRef: 'HELLO', msisdn: '2547*****999' });
    await confirm(body);
    expect((await getOrder(o.id)).status).toBe('PENDING');
    const [received] = await events('PAYMENT_RECEIVED');
    expect(received.data).toMatchObject({ matched: false, orderId: null, accountNumber: 'HELLO', status: 'COMPLETED' });
    const list = await t.http.get('/api/payments?matched=false').set('Cookie', s.cookie).expect(200);
    expect(list.body.data).toHaveLength(1);
    const payment = list.body.data[0];
    expect(payment).toMatchObject({ method: 'C2B', orderId: null, mpesaReceipt: body.TransID, matchedBy: null });
    await t.http.get('/api/payments?matched=maybe').set('Cookie', s.cookie).expect(400);

    const viewer = await addMember(t.http, s, 'VIEWER');
    await t.http
      .post(`/api/payments/${payment.id}/assign`)
      .set('Cookie', viewer.cookie)
      .send({ orderId: o.id })
      .expect(403);
    const other = await registerSeller(t.http);
    await t.http
      .post(`/api/payments/${payment.id}/assign`)
      .set('Cookie', other.cookie)
      .send({ orderId: o.id })
      .expect(404);
    const { body: theirs } = await t.http
      .post('/api/orders')
      .send(orderBody(other, [{ productId: (await createProduct(t.http, other, { priceKes: 4500 })).id, quantity: 1 }]))
      .expect(201);
    await t.http
      .post(`/api/payments/${payment.id}/assign`)
      .set('Cookie', s.cookie)
      .send({ orderId: theirs.id })
      .expect(404);
    expect((await getOrder(theirs.id, other)).status).toBe('PENDING');

    const manager = await addMember(t.http, s, 'MANAGER');
    const assigned = await t.http
      .post(`/api/payments/${payment.id}/assign`)
      .set('Cookie', manager.cookie)
      .send({ orderId: o.id })
      .expect(200);
    expect(assigned.body).toMatchObject({ orderId: o.id, matchedBy: 'assigned', status: 'COMPLETED' });
    const paid = await getOrder(o.id);
    expect(paid.status).toBe('PAID');
    expect(paid.timeline.at(-1)).toMatchObject({ status: 'PAID', actor: manager.userId });
    expect(paid.timeline.at(-1).note).toContain(`assigned by ${manager.email}`);
    expect(updates.at(-1)).toMatchObject({ paymentId: payment.id, matched: true, matchedBy: 'assigned' });
    expect(await events('PAYMENT_RECEIVED')).toHaveLength(1);
    await t.http.post(`/api/payments/${payment.id}/assign`).set('Cookie', s.cookie).send({ orderId: o.id }).expect(409);
    expect((await t.http.get('/api/payments?matched=false').set('Cookie', s.cookie)).body.data).toHaveLength(0);
  });

  it('reopens an order the payment timeout cancelled when its stock is still there; else flags the payment', async () => {
    const { order: o, product } = await order(3, {}, 3);
    const { order: sold, product: soldOut } = await order(2, {}, 2);
    await sql(t.app, "update orders set created_at = now() - interval '31 minutes' where id in (?, ?)", [
      o.id,
      sold.id,
    ]);
    await t.app.get(PaymentJobsService).tick();
    expect(await getOrder(o.id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    expect(await getOrder(sold.id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    expect((await t.http.get(`/api/products/${product.id}`).set('Cookie', s.cookie)).body.stock).toBe(3);

    // The buyer paid the till while the order was expiring.
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 4500, till: true }));
    const reopened = await getOrder(o.id);
    expect(reopened).toMatchObject({ status: 'PAID', cancelReason: null, amountPaidKes: 4500 });
    expect(reopened.timeline.map((e: { status: string }) => e.status)).toEqual([
      'PENDING',
      'CANCELLED',
      'PENDING',
      'PAID',
    ]);
    expect(reopened.timeline[2].note).toMatch(/^reopened: paid to the till/);
    expect((await t.http.get(`/api/products/${product.id}`).set('Cookie', s.cookie)).body.stock).toBe(0);

    // Its stock went to someone else meanwhile: the payment is flagged, the order stays cancelled.
    await t.http.patch(`/api/products/${soldOut.id}`).set('Cookie', s.cookie).send({ stock: 0 }).expect(200);
    await confirm(daraja.c2bConfirmation({ transId: transId(), amount: 3000, billRef: sold.referenceCode }));
    expect((await getOrder(sold.id)).status).toBe('CANCELLED');
    const [late] = await payments(sold.id);
    expect(late).toMatchObject({ status: 'FLAGGED', flagReason: 'Paid after cancellation: refund or fulfil by hand' });
  });

  it("counts an STK payment once when the paybill's confirmation reports it too, whichever comes first", async () => {
    const stkPayment = async (orderId: string) =>
      waitFor(async () => {
        const [row] = await sql<{ id: string; checkout_request_id: string | null }>(
          t.app,
          "select id, checkout_request_id from payments where order_id = ? and method = 'MPESA_STK'",
          [orderId],
        );
        return row?.checkout_request_id ? row : undefined;
      }, 5000);
    for (const confirmationFirst of [true, false]) {
      const { order: o } = await order();
      const push = daraja.stkRequests.at(-1)!.body;
      const stk = await stkPayment(o.id);
      const receipt = transId();
      const c2b = daraja.c2bConfirmation({ transId: receipt, amount: 4500, billRef: String(push.AccountReference) });
      const callback = daraja.callback(stk.checkout_request_id!, { amount: 4500, receipt });
      const stkCallbackPath = new URL(String(push.CallBackURL)).pathname;
      const sendCallback = () => t.http.post(stkCallbackPath).set('X-Forwarded-For', DARAJA_IP).send(callback);
      if (confirmationFirst) {
        await confirm(c2b);
        await sendCallback().expect(200);
      } else {
        await sendCallback().expect(200);
        await confirm(c2b);
      }
      expect(await getOrder(o.id)).toMatchObject({ status: 'PAID', amountPaidKes: 4500, mpesaReceipt: receipt });
      const all = (await t.http.get(`/api/payments?orderId=${o.id}`).set('Cookie', s.cookie)).body.data;
      expect(all.filter((p: { status: string }) => p.status === 'FLAGGED')).toHaveLength(0);
      const received = (await events('PAYMENT_RECEIVED')).filter((e) => e.data.orderId === o.id);
      expect(received).toHaveLength(1);
    }
    expect(await events('ORDER_PAID')).toHaveLength(2);
  });

  it('with validation on, refuses a paybill payment naming no open order; accepts the rest', async () => {
    const { order: o } = await order();
    const validate = (body: object) =>
      t.http.post(validatePath).set('X-Forwarded-For', DARAJA_IP).send(body).expect(200);
    const unknown = daraja.c2bConfirmation({ transId: transId(), amount: 4500, billRef: 'SKH-1999-99999' });
    // Off by default: everything is accepted.
    expect((await validate(unknown)).body).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    await t.http
      .put('/api/payments/mpesa/settings')
      .set('Cookie', s.cookie)
      .send({ ...DARAJA_CREDS, c2bValidation: true })
      .expect(200)
      .expect((res) => expect(res.body.c2bValidation).toBe(true));
    expect((await validate(unknown)).body).toEqual({ ResultCode: 'C2B00012', ResultDesc: 'Rejected' });
    const named = daraja.c2bConfirmation({ transId: transId(), amount: 4500, billRef: o.referenceCode.toLowerCase() });
    expect((await validate(named)).body).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    const till = daraja.c2bConfirmation({ transId: transId(), amount: 10, till: true });
    expect((await validate(till)).body).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    await t.http.post('/api/c2b/not-a-token-at-all-really-not/validation').send(unknown).expect(404);
    await t.http.post('/api/c2b/not-a-token-at-all-really-not/confirmation').send(unknown).expect(404);
  });
});
