import { registerSeller, addMember, type SellerSession } from '../support/factories.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { createEndpoint, sql } from '../support/webhook-helpers.js';
import { SELLER_EVENT_NAMES } from '../../src/events/event-catalogue.js';

describe('Orders and customers (e2e)', () => {
  let t: TestApp;
  let s: SellerSession;
  let rx: Receiver;

  beforeAll(async () => {
    t = await bootApp({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    rx = await startReceiver();
  });
  beforeEach(async () => {
    s = await registerSeller(t.http);
    await createEndpoint(t.http, s, rx.url, [...SELLER_EVENT_NAMES]);
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  const place = (body: object, key?: string) => {
    const req = t.http.post('/api/orders').send(body);
    return key ? req.set('Idempotency-Key', key) : req;
  };
  const events = (name?: string) =>
    sql<{ name: string; data: Record<string, unknown> }>(
      t.app,
      `select name, data from webhook_events where seller_id = ? ${name ? 'and name = ?' : ''} order by occurred_at, id`,
      name ? [s.sellerId, name] : [s.sellerId],
    );
  const act = (id: string, action: string, body: object = {}, who = s) =>
    t.http.post(`/api/orders/${id}/${action}`).set('Cookie', who.cookie).send(body);

  it("places an order with database prices, the reference's response and the reference's ORDER_CREATED payload", async () => {
    const tote = await createProduct(t.http, s, { stock: 10 });
    const mug = await createProduct(t.http, s, { name: 'Mug', priceKes: 1500, stock: 5 });
    const res = await place(
      orderBody(s, [
        { productId: tote.id, quantity: 2 },
        { productId: mug.id, quantity: 1 },
      ]),
    ).expect(201);
    expect(res.body).toMatchObject({
      referenceCode: `SKH-${new Date().getFullYear()}-00001`,
      status: 'PENDING',
      totalKes: 4500,
      customerName: 'Amina Wanjiku',
      customerPhone: '+254712345678',
      deliveryMethod: 'DELIVERY',
      mpesaReceipt: null,
      paidAt: null,
      itemCount: 3,
      items: expect.arrayContaining([
        expect.objectContaining({
          productName: 'African Print Tote Bag',
          quantity: 2,
          unitPriceKes: 1500,
          subtotalKes: 3000,
        }),
        expect.objectContaining({ productName: 'Mug', quantity: 1, unitPriceKes: 1500, subtotalKes: 1500 }),
      ]),
    });
    expect(res.body.id).toMatch(/^ord_/);
    const [created] = await events('ORDER_CREATED');
    expect(created.data).toEqual({
      orderId: res.body.id,
      referenceCode: res.body.referenceCode,
      status: 'PENDING',
      totalKes: 4500,
      customerName: 'Amina Wanjiku',
      customerPhone: '+254712345678',
      itemCount: 3,
    });
    expect(Object.keys(created.data)).toEqual([
      'orderId',
      'referenceCode',
      'status',
      'totalKes',
      'customerName',
      'customerPhone',
      'itemCount',
    ]);
    expect((await events('CUSTOMER_CREATED')).length).toBe(1);
    expect((await t.http.get(`/api/products/${tote.id}`).set('Cookie', s.cookie)).body.stock).toBe(8);
  });

  it('ignores any price in the request and refuses bad input with 400', async () => {
    const p = await createProduct(t.http, s);
    await place(orderBody(s, [{ productId: p.id, quantity: 1, unitPriceKes: 1 } as never])).expect(400);
    await place(orderBody(s, [])).expect(400);
    await place(
      orderBody(
        s,
        Array.from({ length: 51 }, () => ({ productId: p.id, quantity: 1 })),
      ),
    ).expect(400);
    await place(orderBody(s, [{ productId: p.id, quantity: 1001 }])).expect(400);
    await place(orderBody(s, [{ productId: p.id, quantity: 0 }])).expect(400);
    await place(orderBody(s, [{ productId: p.id, quantity: 1 }], { deliveryAddress: undefined })).expect(400);
    await place(orderBody(s, [{ productId: p.id, quantity: 1 }], { customerPhone: '12345' })).expect(400);
    await place(orderBody(s, [{ productId: p.id, quantity: 1 }], { deliveryMethod: 'DRONE' })).expect(400);
    await place(
      orderBody(s, [{ productId: p.id, quantity: 1 }], { deliveryMethod: 'PICKUP', deliveryAddress: undefined }),
    ).expect(201);
  });

  it("refuses another shop's product, an unknown store and an inactive product with 404", async () => {
    const other = await registerSeller(t.http);
    const theirs = await createProduct(t.http, other);
    const hidden = await createProduct(t.http, s, { isActive: false });
    await place(orderBody(s, [{ productId: theirs.id, quantity: 1 }])).expect(404);
    await place(orderBody(s, [{ productId: hidden.id, quantity: 1 }])).expect(404);
    await place({ ...orderBody(s, [{ productId: hidden.id, quantity: 1 }]), storeSlug: 'no-such-store' }).expect(404);
    expect((await t.http.get(`/api/products/${theirs.id}`).set('Cookie', other.cookie)).body.stock).toBe(20);
  });

  it('sells a product with variants by variant, at the variant price', async () => {
    const p = await createProduct(t.http, s, { stock: 0 });
    const v = (
      await t.http
        .post(`/api/products/${p.id}/variants`)
        .set('Cookie', s.cookie)
        .send({ name: 'Large', priceKes: 1800, stock: 3 })
        .expect(201)
    ).body;
    await place(orderBody(s, [{ productId: p.id, quantity: 1 }])).expect(400);
    const res = await place(orderBody(s, [{ productId: p.id, variantId: v.id, quantity: 2 }])).expect(201);
    expect(res.body.items[0]).toMatchObject({ variantName: 'Large', unitPriceKes: 1800, subtotalKes: 3600 });
    await place(orderBody(s, [{ productId: p.id, variantId: v.id, quantity: 2 }])).expect(409);
  });

  it('sells the last 10 units to exactly 10 of 50 racing buyers, never below zero, naming the item to the rest', async () => {
    const p = await createProduct(t.http, s, { name: 'Last Kikoi', stock: 10 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        place(orderBody(s, [{ productId: p.id, quantity: 1 }], { customerPhone: `07${String(10000000 + i)}` })),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    expect(refused[0].body).toMatchObject({ code: 'CONFLICT', message: 'Not enough stock for Last Kikoi: 1 asked' });
    expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.stock).toBe(0);
    // Reference codes: unique and gap-free under concurrency.
    const codes = ok.map((r) => r.body.referenceCode as string).sort();
    const year = new Date().getFullYear();
    expect(codes).toEqual(Array.from({ length: 10 }, (_, i) => `SKH-${year}-${String(i + 1).padStart(5, '0')}`));
  });

  it('refuses an order whose second line is short with 409, and leaves nothing of it: stock, reference, events', async () => {
    const a = await createProduct(t.http, s, { name: 'Kiondo', stock: 5 });
    const b = await createProduct(t.http, s, { name: 'Shuka', stock: 1 });
    const before = (await events()).length;
    // Both lines' stock statements and the order's go in one round trip: the short line fails it after the fact.
    const refused = await place(
      orderBody(s, [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 2 },
      ]),
    ).expect(409);
    expect(refused.body.message).toBe('Not enough stock for Shuka: 2 asked');
    expect((await t.http.get(`/api/products/${a.id}`).set('Cookie', s.cookie)).body.stock).toBe(5);
    expect((await t.http.get(`/api/products/${b.id}`).set('Cookie', s.cookie)).body.stock).toBe(1);
    const [{ n }] = await sql<{ n: string }>(t.app, 'select count(*) as n from orders where seller_id = ?', [
      s.sellerId,
    ]);
    expect(Number(n)).toBe(0);
    expect(await events()).toHaveLength(before);
    // The reference counter went back with it: the next order is the shop's first.
    const ok = await place(orderBody(s, [{ productId: a.id, quantity: 2 }])).expect(201);
    expect(ok.body.referenceCode).toBe(`SKH-${new Date().getFullYear()}-00001`);
    expect((await t.http.get(`/api/products/${a.id}`).set('Cookie', s.cookie)).body.stock).toBe(3);
  });

  it('returns the same order for a retried Idempotency-Key, even when retried concurrently', async () => {
    const p = await createProduct(t.http, s, { stock: 10 });
    const body = orderBody(s, [{ productId: p.id, quantity: 1 }]);
    const [a, b] = await Promise.all([place(body, 'checkout-123'), place(body, 'checkout-123')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    const again = await place(body, 'checkout-123').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(a.body.id);
    expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.stock).toBe(9);
    await place(body, 'bad key with spaces').expect(400);
  });

  it('walks the lifecycle with a timeline and an event per move, and refuses other moves with 409', async () => {
    const p = await createProduct(t.http, s, { stock: 5 });
    const { body: cod } = await place(
      orderBody(s, [{ productId: p.id, quantity: 2 }], { paymentMethod: 'CASH_ON_DELIVERY' }),
    ).expect(201);
    const refused = await act(cod.id, 'dispatch').expect(409);
    expect(refused.body.message).toBe('Cannot dispatch an order that is PENDING');
    await act(cod.id, 'confirm', { note: 'Called the customer' }).expect(200);
    await act(cod.id, 'dispatch').expect(200);
    const done = await act(cod.id, 'deliver').expect(200);
    expect(done.body.status).toBe('DELIVERED');
    expect(done.body.timeline.map((e: { status: string }) => e.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'DISPATCHED',
      'DELIVERED',
    ]);
    expect(done.body.timeline[1]).toMatchObject({ actor: s.userId, note: 'Called the customer' });
    await act(cod.id, 'cancel', { reason: 'too late' }).expect(409);
    const names = (await events()).map((e) => e.name).filter((n) => n.startsWith('ORDER_'));
    expect(names).toEqual(['ORDER_CREATED', 'ORDER_CONFIRMED', 'ORDER_DISPATCHED', 'ORDER_DELIVERED']);

    const { body: mpesa } = await place(orderBody(s, [{ productId: p.id, quantity: 2 }])).expect(201);
    expect((await act(mpesa.id, 'confirm').expect(409)).body.message).toBe(
      'Cannot confirm an order that is PENDING: an M-Pesa order is confirmed once it is PAID',
    );
    await act(mpesa.id, 'cancel', { reason: 'x' }).expect(400);
    const cancelled = await act(mpesa.id, 'cancel', { reason: 'Customer changed their mind' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'Customer changed their mind' });
    expect((await t.http.get(`/api/products/${p.id}`).set('Cookie', s.cookie)).body.stock).toBe(3);
    expect((await events('ORDER_CANCELLED'))[0].data).toMatchObject({ orderId: mpesa.id, status: 'CANCELLED' });
  });

  it('lists and filters orders, and a VIEWER may read but not move them', async () => {
    const p = await createProduct(t.http, s, { stock: 50 });
    const { body: first } = await place(
      orderBody(s, [{ productId: p.id, quantity: 1 }], {
        customerName: 'Otieno Odhiambo',
        customerPhone: '0722000111',
      }),
    ).expect(201);
    await place(orderBody(s, [{ productId: p.id, quantity: 1 }])).expect(201);
    await act(first.id, 'cancel', { reason: 'dup' }).expect(200);
    const list = (q: string) => t.http.get(`/api/orders?${q}`).set('Cookie', s.cookie).expect(200);
    expect((await list('')).body.total).toBe(2);
    expect((await list('status=CANCELLED')).body.data.map((o: { id: string }) => o.id)).toEqual([first.id]);
    expect((await list('q=otieno')).body.total).toBe(1);
    // The phone as a seller types it, whole or its start, finds the order stored as +254722000111.
    for (const phone of ['0722000111', '0722%20000%20111', '254722000111', '%2B254722000111', '722000111', '07220'])
      expect([phone, (await list(`q=${phone}`)).body.total]).toEqual([phone, 1]);
    expect((await list('q=0733')).body.total).toBe(0);
    expect((await list(`q=${first.referenceCode}`)).body.total).toBe(1);
    expect((await list(`from=${new Date(Date.now() + 60_000).toISOString()}`)).body.total).toBe(0);
    await t.http.get('/api/orders?status=LOST').set('Cookie', s.cookie).expect(400);
    // RFC 3339 only: what Date.parse merely happens to read is refused (issue #27).
    expect((await list('from=2000-01-01')).body.total).toBe(2);
    for (const bad of ['to=0.5', 'from=June%201', 'from=2025-02-30', 'to=2025-06-01T10:00:00'])
      await t.http.get(`/api/orders?${bad}`).set('Cookie', s.cookie).expect(400);
    const viewer = await addMember(t.http, s, 'VIEWER');
    await t.http.get(`/api/orders/${first.id}`).set('Cookie', viewer.cookie).expect(200);
    await act(first.id, 'confirm', {}, viewer).expect(403);
  });

  it('keeps orders and customers invisible to another shop: 404, nothing changes', async () => {
    const p = await createProduct(t.http, s);
    const { body: order } = await place(
      orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }),
    ).expect(201);
    const b = await registerSeller(t.http);
    await t.http.get(`/api/orders/${order.id}`).set('Cookie', b.cookie).expect(404);
    for (const action of ['confirm', 'dispatch', 'deliver']) await act(order.id, action, {}, b).expect(404);
    await act(order.id, 'cancel', { reason: 'mine now' }, b).expect(404);
    await t.http.get(`/api/customers/${order.customerId}`).set('Cookie', b.cookie).expect(404);
    await t.http.get(`/api/customers/${order.customerId}/orders`).set('Cookie', b.cookie).expect(404);
    await t.http.patch(`/api/customers/${order.customerId}`).set('Cookie', b.cookie).send({ notes: 'x' }).expect(404);
    expect((await t.http.get('/api/orders').set('Cookie', b.cookie)).body.total).toBe(0);
    expect((await t.http.get(`/api/orders/${order.id}`).set('Cookie', s.cookie)).body.status).toBe('PENDING');
  });

  it('finds customers by phone, keeps stats on paid orders, and updates them with an event', async () => {
    const p = await createProduct(t.http, s, { stock: 50, priceKes: 1000 });
    const { body: o1 } = await place(
      orderBody(s, [{ productId: p.id, quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' }),
    ).expect(201);
    const { body: o2 } = await place(
      orderBody(s, [{ productId: p.id, quantity: 3 }], {
        customerPhone: '+254 712 345 678',
        paymentMethod: 'CASH_ON_DELIVERY',
      }),
    ).expect(201);
    await place(
      orderBody(s, [{ productId: p.id, quantity: 1 }], { customerName: 'Wanjiru', customerPhone: '0733111222' }),
    ).expect(201);
    const customers = await t.http.get('/api/customers?sort=totalSpent').set('Cookie', s.cookie).expect(200);
    expect(customers.body.total).toBe(2);
    const amina = customers.body.data.find((c: { phone: string }) => c.phone === '+254712345678');
    expect(amina.stats).toMatchObject({ orderCount: 2, totalSpentKes: 0 });
    await t.http
      .post(`/api/orders/${o1.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: 'QGH1234X5Y', amountKes: 1000 })
      .expect(201);
    const detail = await t.http.get(`/api/customers/${amina.id}`).set('Cookie', s.cookie).expect(200);
    expect(detail.body.stats).toMatchObject({ orderCount: 2, totalSpentKes: 1000, averageOrderValueKes: 1000 });
    expect(detail.body.orders.map((o: { id: string }) => o.id)).toEqual([o2.id, o1.id]);
    expect(detail.body.recentOrders).toEqual(detail.body.orders);
    const orders = await t.http.get(`/api/customers/${amina.id}/orders?limit=1`).set('Cookie', s.cookie).expect(200);
    expect(orders.body).toMatchObject({ total: 2, limit: 1 });
    const updated = await t.http
      .patch(`/api/customers/${amina.id}`)
      .set('Cookie', s.cookie)
      .send({ email: 'amina@example.co.ke', tags: ['vip'], notes: 'Prefers pickup' })
      .expect(200);
    expect(updated.body).toMatchObject({ email: 'amina@example.co.ke', tags: ['vip'], notes: 'Prefers pickup' });
    await t.http
      .patch(`/api/customers/${amina.id}`)
      .set('Cookie', s.cookie)
      .send({ email: 'not-an-email' })
      .expect(400);
    const put = await t.http.put(`/api/customers/${amina.id}`).set('Cookie', s.cookie).send({ name: 'Amina W.' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'Amina W.', email: 'amina@example.co.ke', tags: ['vip'] });
    expect((await t.http.get('/api/customers?q=wanjiru').set('Cookie', s.cookie)).body.total).toBe(1);
    expect((await t.http.get('/api/customers?q=0712%20345').set('Cookie', s.cookie)).body.total).toBe(1);
  });
});
