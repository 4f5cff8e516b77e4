import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { DARAJA_CREDS, mpesaShop } from '../support/mpesa-shop.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';

/**
 * The buyer's side of an M-Pesa order on the shop's website: the status page it polls after the PIN prompt, and the
 * prompt sent again after a cancel or a timeout, against the local fake Daraja.
 */
describe("The buyer's order page and the prompt sent again (e2e)", () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let rx: Receiver;
  let s: SellerSession;
  let callbackPath: string;
  let phones = 0;

  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    rx = await startReceiver();
    t = await bootApp({
      MPESA_BASE_URL: daraja.url,
      PUBLIC_BASE_URL: 'https://api.sokohub.test',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      MPESA_CALLBACK_ALLOWED_IPS: '127.0.0.1,::1',
      MPESA_JOBS_ENABLED: 'false',
      STK_PROMPTS_PER_PHONE_PER_HOUR: '3',
    });
    ({ shop: s, callbackPath } = await mpesaShop(t.http, rx.url));
  });
  afterAll(async () => {
    await t.close();
    await daraja.close();
    await rx.close();
  });

  const page = (id: string, slug = s.storeSlug) => t.http.get(`/api/storefront/${slug}/orders/${id}`);
  const pay = (id: string, slug = s.storeSlug) => t.http.post(`/api/storefront/${slug}/orders/${id}/pay`);
  /** The CheckoutRequestID of the order's newest prompt, once Daraja has answered the push. */
  const newestCheckout = (orderId: string, after = '') =>
    waitFor(async () => {
      const [row] = await sql<{ checkout_request_id: string | null }>(
        t.app,
        `select checkout_request_id from payments where order_id = ? and method = 'MPESA_STK'
         order by created_at desc, id desc limit 1`,
        [orderId],
      );
      return row?.checkout_request_id && row.checkout_request_id !== after ? row.checkout_request_id : undefined;
    }, 5000);
  const answer = (checkoutId: string, outcome: { resultCode?: number; amount?: number }) =>
    t.http.post(callbackPath).send(daraja.callback(checkoutId, outcome)).expect(200);
  const placeMpesa = async (shop = s, paymentMethod = 'MPESA') => {
    phones++;
    const product = await createProduct(t.http, shop, { name: 'Kiondo', priceKes: 1500, stock: 10 });
    const phone = `0722${String(phones).padStart(6, '0')}`;
    const { body } = await t.http
      .post('/api/orders')
      .send(orderBody(shop, [{ productId: product.id, quantity: 2 }], { customerPhone: phone, paymentMethod }))
      .expect(201);
    return { order: body as { id: string; referenceCode: string; totalKes: number }, phone };
  };

  it('shows the buyer the order without what the seller keeps; a cancelled prompt is sent again, then paid', async () => {
    const { order, phone } = await placeMpesa();
    const first = await newestCheckout(order.id);
    const view = (await page(order.id).expect(200)).body;
    expect(Object.keys(view).sort()).toEqual(
      [
        'id',
        'referenceCode',
        'status',
        'paymentMethod',
        'deliveryMethod',
        'totalKes',
        'amountPaidKes',
        'amountDueKes',
        'mpesaReceipt',
        'paidAt',
        'items',
        'history',
        'lastPrompt',
        'canPromptAgain',
        'placedAt',
      ].sort(),
    );
    expect(view).toMatchObject({
      referenceCode: order.referenceCode,
      status: 'PENDING',
      totalKes: 3000,
      amountDueKes: 3000,
      items: [{ productName: 'Kiondo', variantName: null, quantity: 2, unitPriceKes: 1500, subtotalKes: 3000 }],
      history: [{ status: 'PENDING' }],
      lastPrompt: { status: 'PENDING', message: null },
      // The prompt is on the phone: not again yet.
      canPromptAgain: false,
    });
    expect(JSON.stringify(view)).not.toMatch(/Amina|Moi Avenue|0722|2547/);
    // The shop's website on its own domain reads it from the buyer's browser, without cookies.
    const foreign = await page(order.id).set('Origin', 'https://duka.example').expect(200);
    expect(foreign.headers['access-control-allow-origin']).toBe('*');
    expect(foreign.headers['access-control-allow-credentials']).toBeUndefined();
    const early = await pay(order.id).expect(409);
    expect(early.body.message).toMatch(/just sent to your phone/);
    expect(Number(early.headers['retry-after'])).toBeGreaterThan(0);

    // The buyer cancels the prompt on the phone.
    await answer(first, { resultCode: 1032 });
    expect((await page(order.id).expect(200)).body).toMatchObject({
      status: 'PENDING',
      lastPrompt: { status: 'FAILED', message: 'Request cancelled by user' },
      canPromptAgain: true,
    });
    const pushes = daraja.stkRequests.length;
    const again = await pay(order.id).expect(202);
    expect(again.body).toMatchObject({ lastPrompt: { status: 'PENDING' }, canPromptAgain: false });
    // To the phone the order was placed with, for what is due, naming the order.
    expect(daraja.stkRequests).toHaveLength(pushes + 1);
    const push = daraja.stkRequests.at(-1)!.body;
    expect(push).toMatchObject({ PhoneNumber: `254${phone.slice(1)}`, Amount: 3000 });
    expect(order.referenceCode).toContain(String(push.AccountReference));
    await answer(await newestCheckout(order.id, first), { resultCode: 0, amount: 3000 });
    const paid = (await page(order.id).expect(200)).body;
    expect(paid).toMatchObject({
      status: 'PAID',
      amountPaidKes: 3000,
      amountDueKes: 0,
      lastPrompt: { status: 'COMPLETED' },
      canPromptAgain: false,
    });
    expect(paid.mpesaReceipt).toMatch(/^QK/);
    expect(paid.history.map((h: { status: string }) => h.status)).toEqual(['PENDING', 'PAID']);
    expect((await pay(order.id).expect(409)).body.message).toBe(
      'This order is PAID: there is nothing to pay by prompt',
    );
  });

  it('sends one prompt for two clicks at once, and stops at the phone’s hourly limit', async () => {
    const { order } = await placeMpesa();
    let checkout = await newestCheckout(order.id);
    await answer(checkout, { resultCode: 1032 });
    const pushes = daraja.stkRequests.length;
    const clicks = await Promise.all([pay(order.id), pay(order.id), pay(order.id)]);
    expect(clicks.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect(daraja.stkRequests).toHaveLength(pushes + 1);
    // Its third prompt this hour (STK_PROMPTS_PER_PHONE_PER_HOUR=3 here), then no more.
    checkout = await newestCheckout(order.id, checkout);
    await answer(checkout, { resultCode: 1037 });
    await pay(order.id).expect(202);
    await answer(await newestCheckout(order.id, checkout), { resultCode: 1032 });
    expect((await page(order.id).expect(200)).body.canPromptAgain).toBe(false);
    const limited = await pay(order.id).expect(429);
    expect(limited.body).toMatchObject({ success: false, code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('refuses what it cannot prompt for, and shows nothing to a wrong shop or id', async () => {
    const cod = await placeMpesa(s, 'CASH_ON_DELIVERY');
    expect((await page(cod.order.id).expect(200)).body).toMatchObject({
      canPromptAgain: false,
      lastPrompt: { status: 'NONE', at: null, message: null },
    });
    expect((await pay(cod.order.id).expect(409)).body.message).toMatch(/cash on delivery/);
    // A shop without Daraja credentials takes till payments only.
    const plain = await registerSeller(t.http);
    const unprompted = await placeMpesa(plain);
    expect((await page(unprompted.order.id, plain.storeSlug).expect(200)).body.canPromptAgain).toBe(false);
    const none = await pay(unprompted.order.id, plain.storeSlug).expect(409);
    expect(none.body.message).toBe(
      `This shop does not send M-Pesa prompts: pay to its till or paybill with the reference ${unprompted.order.referenceCode}`,
    );
    // Another shop's slug, an unknown id, a malformed one: 404 in the envelope, nothing sent.
    const other = await registerSeller(t.http);
    await t.http.put('/api/payments/mpesa/settings').set('Cookie', other.cookie).send(DARAJA_CREDS).expect(200);
    const pushes = daraja.stkRequests.length;
    for (const res of [
      await page(cod.order.id, other.storeSlug),
      await pay(cod.order.id, other.storeSlug),
      await page('ord_01hzzzzzzzzzzzzzzzzzzzzzzz'),
      await pay('not-an-id'),
      await page(cod.order.id, 'no-such-shop'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
    }
    expect(daraja.stkRequests).toHaveLength(pushes);
  });

  it('lets the shop send the prompt again from its side, to the order’s own phone, under the buyer’s limits', async () => {
    const { order, phone } = await placeMpesa();
    const first = await newestCheckout(order.id);
    const viewer = await addMember(t.http, s, 'VIEWER');
    const state = (who: SellerSession = s) =>
      t.http.get(`/api/orders/${order.id}/prompt`).set('Cookie', who.cookie).expect(200);
    const again = (who: SellerSession = s) => t.http.post(`/api/orders/${order.id}/prompt`).set('Cookie', who.cookie);
    expect((await state(viewer)).body).toEqual({
      lastPrompt: { status: 'PENDING', at: expect.any(String), message: null },
      canPromptAgain: false,
    });
    const early = await again().expect(409);
    expect(early.body.message).toMatch(/just sent to the buyer's phone/);
    expect(Number(early.headers['retry-after'])).toBeGreaterThan(0);

    await answer(first, { resultCode: 1032 });
    expect((await state()).body).toMatchObject({
      lastPrompt: { status: 'FAILED', message: 'Request cancelled by user' },
      canPromptAgain: true,
    });
    const pushes = daraja.stkRequests.length;
    // A VIEWER reads, never sends; another shop does not find the order.
    expect((await again(viewer).expect(403)).body.code).toBe('FORBIDDEN');
    const other = await registerSeller(t.http);
    expect((await again(other).expect(404)).body.code).toBe('NOT_FOUND');
    await t.http.get(`/api/orders/${order.id}/prompt`).set('Cookie', other.cookie).expect(404);
    expect(daraja.stkRequests).toHaveLength(pushes);

    const sent = await again().expect(202);
    expect(sent.body).toMatchObject({ lastPrompt: { status: 'PENDING' }, canPromptAgain: false });
    expect(daraja.stkRequests).toHaveLength(pushes + 1);
    expect(daraja.stkRequests.at(-1)!.body).toMatchObject({ PhoneNumber: `254${phone.slice(1)}`, Amount: 3000 });
    // The buyer's page sees the same prompt.
    expect((await page(order.id).expect(200)).body.lastPrompt.status).toBe('PENDING');

    const cod = await placeMpesa(s, 'CASH_ON_DELIVERY');
    const cash = await t.http.post(`/api/orders/${cod.order.id}/prompt`).set('Cookie', s.cookie).expect(409);
    expect(cash.body.message).toBe('This order is paid in cash on delivery: there is no M-Pesa prompt to send');
    const plain = await registerSeller(t.http);
    const unprompted = await placeMpesa(plain);
    const none = await t.http.post(`/api/orders/${unprompted.order.id}/prompt`).set('Cookie', plain.cookie).expect(409);
    expect(none.body.message).toMatch(/save its Daraja credentials/);
  });
});
