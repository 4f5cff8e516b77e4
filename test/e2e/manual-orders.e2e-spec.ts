import { PaymentJobsService } from '../../src/payments/payment-jobs.service.js';
import { addMember, registerSeller, type SellerSession } from '../support/factories.js';
import { FakeDaraja } from '../support/fake-daraja.js';
import { mpesaShop } from '../support/mpesa-shop.js';
import { startReceiver, waitFor, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createEndpoint, sql, verifySignature } from '../support/webhook-helpers.js';

/**
 * Orders the shop takes itself (POST /api/orders/manual): a WhatsApp or phone order entered by a member or a full
 * API key, priced and stocked as on the storefront, with the storefront's events and PIN prompt, and none of the
 * limits meant for anonymous buyers.
 */
describe('Orders the shop takes itself (e2e)', () => {
  let t: TestApp;
  let daraja: FakeDaraja;
  let rx: Receiver;

  beforeAll(async () => {
    daraja = await new FakeDaraja().start();
    rx = await startReceiver();
    t = await bootApp({
      MPESA_BASE_URL: daraja.url,
      PUBLIC_BASE_URL: 'https://api.sokohub.test',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      MPESA_JOBS_ENABLED: 'false',
      ORDER_OPEN_PER_PHONE: '1',
      ORDER_OPEN_PER_ADDRESS: '1',
      ORDER_MAX_UNITS_PER_LINE: '2',
      STK_PROMPTS_PER_PHONE_PER_HOUR: '5',
    });
  });
  afterAll(async () => {
    await t.close();
    await daraja.close();
    await rx.close();
  });

  const manual = (s: SellerSession, body: Record<string, unknown>) =>
    t.http.post('/api/orders/manual').set('Cookie', s.cookie).send(body);
  const bodyFor = (items: { productId: string; variantId?: string; quantity: number }[], extra = {}) => {
    const { storeSlug: _slug, ...rest } = orderBody({ storeSlug: '' } as SellerSession, items, extra);
    return rest;
  };
  const stockOf = async (s: SellerSession, id: string) =>
    (await t.http.get(`/api/products/${id}`).set('Cookie', s.cookie).expect(200)).body.stock as number;

  it("takes a manager's WhatsApp order at catalogue prices, names the member and the note, and tells the shop's systems", async () => {
    const owner = await registerSeller(t.http);
    const manager = await addMember(t.http, owner, 'MANAGER');
    const endpoint = await createEndpoint(t.http, owner, rx.url, ['ORDER_CREATED', 'CUSTOMER_CREATED']);
    const kikoi = await createProduct(t.http, owner, { name: 'Kikoi', priceKes: 1200, stock: 10 });
    const res = await manual(manager, {
      ...bodyFor([{ productId: kikoi.id, quantity: 3 }], {
        customerName: 'Wanjiru Kamau',
        customerPhone: '0722 000 111',
        paymentMethod: 'CASH_ON_DELIVERY',
        // A price in the body is refused like any unknown field: prices come from the catalogue.
      }),
      note: '  WhatsApp, deliver after 5 pm  ',
    }).expect(201);
    expect(res.body).toMatchObject({
      referenceCode: expect.stringMatching(/^SKH-\d{4}-00001$/),
      status: 'PENDING',
      totalKes: 3600,
      itemCount: 3,
      customerName: 'Wanjiru Kamau',
      customerPhone: '+254722000111',
      paymentMethod: 'CASH_ON_DELIVERY',
      stkPrompt: false,
      items: [{ productName: 'Kikoi', quantity: 3, unitPriceKes: 1200, subtotalKes: 3600 }],
      timeline: [{ status: 'PENDING', actor: manager.userId, note: 'WhatsApp, deliver after 5 pm' }],
    });
    expect(await stockOf(owner, kikoi.id)).toBe(7);
    // The owner sees it in the orders list, the buyer among the customers.
    const list = await t.http.get('/api/orders').set('Cookie', owner.cookie).expect(200);
    expect(list.body.data.map((o: { id: string }) => o.id)).toEqual([res.body.id]);
    const customers = await t.http.get('/api/customers').set('Cookie', owner.cookie).expect(200);
    expect(customers.body.data).toEqual([expect.objectContaining({ phone: '+254722000111' })]);

    const received = await waitFor(() => {
      const got = rx.requests.filter((r) => r.headers['x-sokohub-webhook-id'] === endpoint.id);
      return got.length >= 2 ? got : undefined;
    }, 10_000);
    const events = received.map((r) => r.json as { event: string; data: { orderId?: string } });
    expect(events.map((e) => e.event).sort()).toEqual(['CUSTOMER_CREATED', 'ORDER_CREATED']);
    expect(events.find((e) => e.event === 'ORDER_CREATED')!.data.orderId).toBe(res.body.id);
    for (const r of received) {
      expect(verifySignature(r.rawBody, r.headers['x-sokohub-signature'] as string, endpoint.secret)).toBe(true);
    }

    await manual(manager, { ...bodyFor([{ productId: kikoi.id, quantity: 1 }]), price: 1 }).expect(400);
  });

  it("is held to none of the storefront's limits for anonymous buyers, and to the stock like any order", async () => {
    const owner = await registerSeller(t.http);
    const tote = await createProduct(t.http, owner, { name: 'Tote', priceKes: 1500, stock: 12 });
    const phone = '0733 100 200';
    // The storefront: one open order per phone and per address, two units a line.
    await t.http
      .post('/api/orders')
      .send(orderBody(owner, [{ productId: tote.id, quantity: 3 }], { customerPhone: phone }))
      .expect(400);
    await t.http
      .post('/api/orders')
      .send(orderBody(owner, [{ productId: tote.id, quantity: 2 }], { customerPhone: phone }))
      .expect(201);
    await t.http
      .post('/api/orders')
      .send(orderBody(owner, [{ productId: tote.id, quantity: 1 }], { customerPhone: phone }))
      .expect(429);
    // The shop's staff, from the same address and for the same phone: a wholesale line, then another order.
    const bulk = await manual(owner, bodyFor([{ productId: tote.id, quantity: 5 }], { customerPhone: phone }));
    expect(bulk.status).toBe(201);
    expect(bulk.body.referenceCode).toMatch(/-00002$/);
    await manual(owner, bodyFor([{ productId: tote.id, quantity: 4 }], { customerPhone: phone })).expect(201);
    expect(await stockOf(owner, tote.id)).toBe(1);

    // Not enough stock: 409 naming the product, nothing written.
    const short = await manual(owner, bodyFor([{ productId: tote.id, quantity: 2 }])).expect(409);
    expect(short.body).toMatchObject({ code: 'CONFLICT', message: 'Not enough stock for Tote: 2 asked' });
    expect(await stockOf(owner, tote.id)).toBe(1);
    const [{ n }] = await sql<{ n: string }>(t.app, 'select count(*) as n from orders where seller_id = ?', [
      owner.sellerId,
    ]);
    expect(Number(n)).toBe(3);
    // A fourth order gets the next reference: the refused one left no gap.
    const next = await manual(owner, bodyFor([{ productId: tote.id, quantity: 1 }])).expect(201);
    expect(next.body.referenceCode).toMatch(/-00004$/);
    // Operators tell the shop's own entries from buyers on /metrics: the storefront's 429 above is the buyers'.
    const metrics = (await t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^orders_refused_total\{reason="stock",source="staff"\} 1$/m);
    expect(metrics).toMatch(/^orders_refused_total\{reason="limits",source="storefront"\} [1-9]/m);
    expect(metrics).not.toMatch(/^orders_refused_total\{reason="limits",source="staff"\}/m);
    expect(metrics).toMatch(/^orders_placed_total\{payment_method="MPESA",source="staff"\} [1-9]/m);
  });

  it("refuses a VIEWER, a read key and another shop's products; a full key places with its key as the actor", async () => {
    const owner = await registerSeller(t.http);
    const other = await registerSeller(t.http);
    const viewer = await addMember(t.http, owner, 'VIEWER');
    const mine = await createProduct(t.http, owner, { name: 'Basket', priceKes: 800, stock: 5 });
    const theirs = await createProduct(t.http, other, { name: 'Sufuria', priceKes: 900, stock: 5 });
    const body = bodyFor([{ productId: mine.id, quantity: 1 }]);

    await t.http.post('/api/orders/manual').send(body).expect(401);
    const refused = await manual(viewer, body).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const key = async (access: 'read' | 'full') =>
      (await t.http.post('/api/api-keys').set('Cookie', owner.cookie).send({ name: access, access }).expect(201))
        .body as { id: string; key: string };
    const read = await key('read');
    await t.http.post('/api/orders/manual').set('Authorization', `Bearer ${read.key}`).send(body).expect(403);

    // Another shop's product is not in this shop: 404, and neither shop's stock moves.
    const foreign = await manual(owner, bodyFor([{ productId: theirs.id, quantity: 1 }])).expect(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect(await stockOf(other, theirs.id)).toBe(5);
    expect(await stockOf(owner, mine.id)).toBe(5);

    const full = await key('full');
    const placed = await t.http
      .post('/api/orders/manual')
      .set('Authorization', `Bearer ${full.key}`)
      .send(body)
      .expect(201);
    expect(placed.body.timeline).toEqual([expect.objectContaining({ actor: `apikey:${full.id}`, note: null })]);
    expect(await stockOf(owner, mine.id)).toBe(4);
    // The order is the shop's own: the other shop cannot read it.
    await t.http.get(`/api/orders/${placed.body.id}`).set('Cookie', other.cookie).expect(404);
  });

  it('answers a retry with the same Idempotency-Key with the same order, and a changed body with 409', async () => {
    const owner = await registerSeller(t.http);
    const mat = await createProduct(t.http, owner, { name: 'Mat', priceKes: 700, stock: 5 });
    const body = { ...bodyFor([{ productId: mat.id, quantity: 2 }]), note: 'phone call' };
    const first = await manual(owner, body).set('Idempotency-Key', 'call-0042').expect(201);
    const again = await manual(owner, body).set('Idempotency-Key', 'call-0042').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    await manual(owner, { ...body, note: 'another call' })
      .set('Idempotency-Key', 'call-0042')
      .expect(409);
    expect(await stockOf(owner, mat.id)).toBe(3);
  });

  it("holds an unpaid order the shop took for the shop's hold hours, not the storefront's 30-minute payment timeout", async () => {
    const owner = await registerSeller(t.http);
    const kanga = await createProduct(t.http, owner, { name: 'Kanga', priceKes: 600, stock: 10 });
    const web = await t.http
      .post('/api/orders')
      .send(orderBody(owner, [{ productId: kanga.id, quantity: 1 }], { customerPhone: '0701 000 001' }))
      .expect(201);
    // "I'll pay the till tonight": no prompt, and no 30-minute clock either.
    const tonight = await manual(owner, {
      ...bodyFor([{ productId: kanga.id, quantity: 2 }], { customerPhone: '0701 000 002' }),
      sendPrompt: false,
    }).expect(201);
    const held = await manual(
      owner,
      bodyFor([{ productId: kanga.id, quantity: 3 }], { paymentMethod: 'CASH_ON_DELIVERY' }),
    );
    expect(held.status).toBe(201);
    const hours = await sql<{ id: string; h: string }>(
      t.app,
      `select id, round(extract(epoch from hold_expires_at - created_at) / 3600) as h from orders
       where seller_id = ? and hold_expires_at is not null order by id`,
      [owner.sellerId],
    );
    expect(hours.map((r) => [r.id, Number(r.h)])).toEqual([tonight.body.id, held.body.id].sort().map((id) => [id, 48]));
    expect(await stockOf(owner, kanga.id)).toBe(4);

    // An hour later: the storefront's unpaid order is cancelled and its unit is back; the shop's two are held.
    await sql(t.app, `update orders set created_at = created_at - interval '1 hour' where seller_id = ?`, [
      owner.sellerId,
    ]);
    await t.app.get(PaymentJobsService).tick();
    const status = async (id: string) =>
      (await t.http.get(`/api/orders/${id}`).set('Cookie', owner.cookie).expect(200)).body as {
        status: string;
        cancelReason: string | null;
      };
    expect(await status(web.body.id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    expect(await status(tonight.body.id)).toMatchObject({ status: 'PENDING' });
    expect(await status(held.body.id)).toMatchObject({ status: 'PENDING' });
    expect(await stockOf(owner, kanga.id)).toBe(5);

    // The hold ends unpaid: both released, the M-Pesa one as a payment timeout (a late till payment may reopen it).
    await sql(t.app, `update orders set hold_expires_at = now() - interval '1 minute' where seller_id = ?`, [
      owner.sellerId,
    ]);
    await t.app.get(PaymentJobsService).tick();
    expect(await status(tonight.body.id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'payment timeout' });
    expect(await status(held.body.id)).toMatchObject({ status: 'CANCELLED', cancelReason: 'not confirmed in time' });
    expect(await stockOf(owner, kanga.id)).toBe(10);
  });

  it("sends the M-Pesa PIN prompt to the buyer's phone, not the member's, unless told the buyer pays the till", async () => {
    const { shop } = await mpesaShop(t.http, rx.url);
    const shoes = await createProduct(t.http, shop, { name: 'Sandals', priceKes: 1100, stock: 5 });
    const pushes = daraja.stkRequests.length;
    const res = await manual(shop, bodyFor([{ productId: shoes.id, quantity: 2 }], { customerPhone: '0799 555 444' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ stkPrompt: true, notice: null, totalKes: 2200 });
    const push = (await waitFor(() => daraja.stkRequests[pushes], 5000)).body;
    expect(push).toMatchObject({ PhoneNumber: '254799555444', Amount: 2200 });

    // The buyer already paid the till: no prompt. The next prompted order's push is the only one that follows.
    const quiet = await manual(shop, {
      ...bodyFor([{ productId: shoes.id, quantity: 1 }], { customerPhone: '0799 555 000' }),
      sendPrompt: false,
    }).expect(201);
    expect(quiet.body).toMatchObject({ stkPrompt: false, notice: null, paymentMethod: 'MPESA', status: 'PENDING' });
    await manual(shop, bodyFor([{ productId: shoes.id, quantity: 1 }], { customerPhone: '0799 555 111' })).expect(201);
    await waitFor(() => daraja.stkRequests[pushes + 1], 5000);
    expect(daraja.stkRequests.slice(pushes + 1).map((r) => r.body.PhoneNumber)).toEqual(['254799555111']);
    await manual(shop, { ...bodyFor([{ productId: shoes.id, quantity: 1 }]), sendPrompt: 'no' }).expect(400);

    // A phone past STK_PROMPTS_PER_PHONE_PER_HOUR (5): the order is placed without one, and the shop is told so.
    await sql(t.app, 'update products set stock = 100 where id = ?', [shoes.id]);
    const busy = bodyFor([{ productId: shoes.id, quantity: 1 }], { customerPhone: '0799 555 999' });
    for (let i = 0; i < 5; i++) expect((await manual(shop, busy).expect(201)).body.stkPrompt).toBe(true);
    const over = await manual(shop, busy).expect(201);
    expect(over.body).toMatchObject({
      stkPrompt: false,
      notice: expect.stringMatching(/^The order is placed, but no/),
    });
  });
});
