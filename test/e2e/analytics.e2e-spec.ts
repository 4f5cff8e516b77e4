import { registerSeller, type SellerSession } from '../support/factories.js';
import { createProduct } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';
import { MikroORM } from '@mikro-orm/postgresql';
import { rebuildReadModels } from '../../scripts/lib/read-models.js';
import { orderBody } from '../support/shop.js';

/**
 * A hand-built shop whose every figure is worked out below, in Nairobi time (UTC+3). The period is 2025-03-01..07,
 * the previous one 2025-02-22..28.
 */
describe('Analytics (e2e, hand-computed figures)', () => {
  let t: TestApp;
  let s: SellerSession;
  const ids: Record<string, string> = {};
  let n = 0;

  /** `eat` is a Nairobi wall-clock time; stored as the UTC instant it is. */
  const at = (eat: string) => new Date(`${eat}+03:00`);
  async function customer(key: string, createdEat: string) {
    ids[key] = `cus_${String(++n).padStart(26, '0')}`;
    await sql(
      t.app,
      "insert into customers (id, seller_id, name, phone, tags, created_at) values (?, ?, ?, ?, '{}', ?)",
      [ids[key], s.sellerId, `Customer ${key}`, `+25471100000${n}`, at(createdEat)],
    );
  }
  async function order(
    key: string,
    cust: string,
    eat: string,
    status: string,
    total: number,
    items: [string, string, number, number][] = [],
    sellerId = s.sellerId,
  ) {
    ids[key] = `ord_${String(++n).padStart(26, '0')}`;
    await sql(
      t.app,
      `insert into orders (id, seller_id, reference_code, customer_id, customer_name, customer_phone, delivery_method, payment_method, status, total_kes, item_count, created_at)
       values (?, ?, ?, ?, 'x', '+254711000000', 'PICKUP', 'MPESA', ?, ?, 1, ?)`,
      [ids[key], sellerId, `SKH-2025-${String(n).padStart(5, '0')}`, ids[cust], status, total, at(eat)],
    );
    for (const [product, name, qty, unit] of items) {
      await sql(
        t.app,
        'insert into order_items (id, order_id, seller_id, product_id, product_name, quantity, unit_price_kes, subtotal_kes) values (?, ?, ?, ?, ?, ?, ?, ?)',
        [`oit_${String(++n).padStart(26, '0')}`, ids[key], sellerId, ids[product], name, qty, unit, qty * unit],
      );
    }
  }
  const get = async (path: string) => (await t.http.get(path).set('Cookie', s.cookie).expect(200)).body;
  const range = 'from=2025-03-01&to=2025-03-07';

  beforeAll(async () => {
    t = await bootApp();
    s = await registerSeller(t.http);
    const other = await registerSeller(t.http);
    ids.P1 = (await createProduct(t.http, s, { name: 'Tote', stock: 20 })).id;
    ids.P2 = (await createProduct(t.http, s, { name: 'Kikoi', stock: 7 })).id;
    ids.P3 = (await createProduct(t.http, s, { name: 'Mug', stock: 3 })).id;
    await t.http.delete(`/api/products/${ids.P2}`).set('Cookie', s.cookie).expect(204);

    await customer('C1', '2025-02-25T12:00:00');
    await customer('C2', '2025-03-02T10:00:00');
    await customer('C3', '2025-03-06T09:00:00');
    await order('O1', 'C1', '2025-02-25T12:00:00', 'PAID', 1000);
    await order('O8', 'C1', '2025-02-28T23:50:00', 'CANCELLED', 100);
    // 00:30 in Nairobi on 1 March is still 28 February in UTC: it belongs to the current period.
    await order('O2', 'C1', '2025-03-01T00:30:00', 'DELIVERED', 2000, [['P1', 'Tote (old name)', 2, 1000]]);
    await order('O3', 'C2', '2025-03-02T10:00:00', 'PAID', 3000, [
      ['P1', 'Tote', 1, 1000],
      ['P2', 'Kikoi', 1, 2000],
    ]);
    await order('O4', 'C2', '2025-03-03T23:59:00', 'CANCELLED', 5000, [['P2', 'Kikoi', 2, 2500]]);
    await order('O5', 'C3', '2025-03-06T09:00:00', 'PENDING', 1500, [['P3', 'Mug', 3, 500]]);
    await order('O6', 'C2', '2025-03-07T23:30:00', 'CONFIRMED', 2500, [['P3', 'Mug', 5, 500]]);
    // 00:10 in Nairobi on 8 March is 7 March in UTC: outside the period.
    await order('O7', 'C1', '2025-03-08T00:10:00', 'PAID', 9999, [['P1', 'Tote', 9, 1111]]);
    // Another shop's paid order inside the period must not count.
    ids.X = `cus_${String(++n).padStart(26, '0')}`;
    await sql(
      t.app,
      "insert into customers (id, seller_id, name, phone, tags, created_at) values (?, ?, 'X', '+254799999999', '{}', ?)",
      [ids.X, other.sellerId, at('2025-03-03T10:00:00')],
    );
    await order('OX', 'X', '2025-03-03T10:00:00', 'PAID', 7777, [], other.sellerId);
    for (const [day, views] of [
      ['2025-03-01', 50],
      ['2025-03-05', 50],
      ['2025-02-27', 10],
    ] as const) {
      await sql(
        t.app,
        'insert into product_daily_views (product_id, seller_id, day, views) values (?, ?, ?::date, ?)',
        [ids.P1, s.sellerId, day, views],
      );
    }
    // Loaded by SQL, past the services: build the read models from the rows, as an operator would after an import.
    for (const seller of [s.sellerId, other.sellerId]) await rebuildReadModels(t.app.get(MikroORM).em.fork(), seller);
  });
  afterAll(() => t.close());

  it('overview: revenue from paid, not cancelled orders; counts; AOV; new customers; conversion; against the previous period', async () => {
    const o = await get(`/api/analytics/overview?${range}`);
    expect(o.range).toEqual({
      from: '2025-03-01',
      to: '2025-03-07',
      previousFrom: '2025-02-22',
      previousTo: '2025-02-28',
      timezone: 'Africa/Nairobi',
    });
    // Current: O2 2000 + O3 3000 + O6 2500 = 7500 from 3 paid of 5 orders (O4 cancelled, O5 pending). Previous: O1 1000; O8 cancelled.
    expect(o.revenueKes).toEqual({ value: 7500, previous: 1000, changePercent: 650 });
    expect(o.orderCount).toEqual({ value: 5, previous: 2, changePercent: 150 });
    expect(o.paidOrderCount).toEqual({ value: 3, previous: 1, changePercent: 200 });
    expect(o.averageOrderValueKes).toEqual({ value: 2500, previous: 1000, changePercent: 150 });
    expect(o.newCustomers).toEqual({ value: 2, previous: 1, changePercent: 100 });
    // 5 orders / 100 views; before: 2 orders / 10 views.
    expect(o.conversionRate).toEqual({ value: 0.05, previous: 0.2, changePercent: -75 });
  });

  it('revenue: a zero-filled daily series cut at Nairobi midnight, and weekly and monthly buckets', async () => {
    const daily = await get(`/api/analytics/revenue?${range}`);
    expect(daily.series).toEqual([
      { date: '2025-03-01', revenueKes: 2000, orders: 1 },
      { date: '2025-03-02', revenueKes: 3000, orders: 1 },
      { date: '2025-03-03', revenueKes: 0, orders: 0 },
      { date: '2025-03-04', revenueKes: 0, orders: 0 },
      { date: '2025-03-05', revenueKes: 0, orders: 0 },
      { date: '2025-03-06', revenueKes: 0, orders: 0 },
      { date: '2025-03-07', revenueKes: 2500, orders: 1 },
    ]);
    // 1 March 2025 is a Saturday: its week starts Monday 24 February.
    expect((await get(`/api/analytics/revenue?${range}&granularity=weekly`)).series).toEqual([
      { date: '2025-02-24', revenueKes: 5000, orders: 2 },
      { date: '2025-03-03', revenueKes: 2500, orders: 1 },
    ]);
    expect((await get(`/api/analytics/revenue?${range}&granularity=monthly`)).series).toEqual([
      { date: '2025-03-01', revenueKes: 7500, orders: 3 },
    ]);
  });

  it('top products by revenue and by units, named as last sold, with current stock (null once deleted)', async () => {
    const byRevenue = await get(`/api/analytics/top-products?${range}`);
    expect(byRevenue.products).toEqual([
      { productId: ids.P1, name: 'Tote', unitsSold: 3, revenueKes: 3000, currentStock: 20 },
      { productId: ids.P3, name: 'Mug', unitsSold: 5, revenueKes: 2500, currentStock: 3 },
      { productId: ids.P2, name: 'Kikoi', unitsSold: 1, revenueKes: 2000, currentStock: null },
    ]);
    const byUnits = await get(`/api/analytics/top-products?${range}&sort=units&limit=2`);
    expect(byUnits.products.map((p: { productId: string }) => p.productId)).toEqual([ids.P3, ids.P1]);
  });

  it('customers: new vs returning per day, retention, repeat-purchase rate, top customers by spend', async () => {
    const c = await get(`/api/analytics/customers?${range}`);
    expect(c.series).toEqual([
      { date: '2025-03-01', newCustomers: 0, returningCustomers: 1 },
      { date: '2025-03-02', newCustomers: 1, returningCustomers: 0 },
      { date: '2025-03-03', newCustomers: 0, returningCustomers: 0 },
      { date: '2025-03-04', newCustomers: 0, returningCustomers: 0 },
      { date: '2025-03-05', newCustomers: 0, returningCustomers: 0 },
      { date: '2025-03-06', newCustomers: 1, returningCustomers: 0 },
      { date: '2025-03-07', newCustomers: 0, returningCustomers: 1 },
    ]);
    // C1 and C2 of the 3 customers ordered more than once; O2 and O6 of the 4 non-cancelled orders are repeats.
    expect(c.retentionRate).toBe(0.6667);
    expect(c.repeatPurchaseRate).toBe(0.5);
    expect(c.topCustomers).toEqual([
      { customerId: ids.C2, name: 'Customer C2', phone: expect.any(String), spentKes: 5500, orders: 2 },
      { customerId: ids.C1, name: 'Customer C1', phone: expect.any(String), spentKes: 2000, orders: 1 },
    ]);
  });

  it('takes period=7d|30d|90d (30d by default) and refuses anything else with 400', async () => {
    const o = await get('/api/analytics/overview');
    expect(Date.parse(o.range.to) - Date.parse(o.range.from)).toBe(29 * 86_400_000);
    expect((await get('/api/analytics/revenue?period=7d')).series).toHaveLength(7);
    for (const bad of ['period=1y', 'period=7', 'from=yesterday', 'granularity=hourly', 'sort=price']) {
      const res = await t.http.get(`/api/analytics/top-products?${bad}`).set('Cookie', s.cookie);
      if (bad === 'granularity=hourly')
        await t.http.get(`/api/analytics/revenue?${bad}`).set('Cookie', s.cookie).expect(400);
      else expect(res.status).toBe(400);
    }
    await t.http.get('/api/analytics/top-products?limit=51').set('Cookie', s.cookie).expect(400);
    await t.http.get('/api/analytics/overview').expect(401);
  });

  it('keeps the daily roll-up exact as live orders are placed, paid, confirmed and cancelled', async () => {
    const live = await registerSeller(t.http);
    const p = await createProduct(t.http, live, { priceKes: 700, stock: 100 });
    const place = async (extra: Record<string, unknown> = {}) =>
      (
        await t.http
          .post('/api/orders')
          .send(orderBody(live, [{ productId: p.id, quantity: 2 }], extra))
          .expect(201)
      ).body;
    const a = await place();
    const b = await place({ customerPhone: '0722333444' });
    const c = await place({ paymentMethod: 'CASH_ON_DELIVERY' });
    await place();
    await t.http
      .post(`/api/orders/${a.id}/payments`)
      .set('Cookie', live.cookie)
      .send({ mpesaReceipt: 'QROLL00001', amountKes: 1400 })
      .expect(201);
    await t.http
      .post(`/api/orders/${b.id}/payments`)
      .set('Cookie', live.cookie)
      .send({ mpesaReceipt: 'QROLL00002', amountKes: 1400 })
      .expect(201);
    await t.http.post(`/api/orders/${b.id}/cancel`).set('Cookie', live.cookie).send({ reason: 'refunded' }).expect(200);
    await t.http.post(`/api/orders/${c.id}/confirm`).set('Cookie', live.cookie).send({}).expect(200);
    const snapshot = () =>
      sql(
        t.app,
        'select day::text, orders, paid_orders, revenue_kes::int as revenue, new_customers from seller_daily_stats where seller_id = ? order by day',
        [live.sellerId],
      );
    const kept = await snapshot();
    expect(kept).toEqual([{ day: expect.any(String), orders: 4, paid_orders: 2, revenue: 2800, new_customers: 2 }]);
    await rebuildReadModels(t.app.get(MikroORM).em.fork(), live.sellerId);
    expect(await snapshot()).toEqual(kept);
    const o = (await t.http.get('/api/analytics/overview?period=7d').set('Cookie', live.cookie).expect(200)).body;
    expect(o).toMatchObject({
      revenueKes: { value: 2800 },
      orderCount: { value: 4 },
      paidOrderCount: { value: 2 },
      newCustomers: { value: 2 },
    });

    // Each customer's first not-cancelled order is kept live too: b's customer has none left; cancelling a moves
    // the other customer's first order on to c. Both equal what a rebuild computes.
    const firsts = () =>
      sql<{ id: string; first: string | null }>(
        t.app,
        `select c.id, (select a.placed_at::text from analytics_orders a where a.customer_id = c.id and a.first) as first
         from customers c where c.seller_id = ? order by c.id`,
        [live.sellerId],
      );
    const at = async (orderId: string) =>
      (await sql<{ at: string }>(t.app, 'select created_at::text as at from orders where id = ?', [orderId]))[0].at;
    expect(await firsts()).toEqual(
      expect.arrayContaining([
        { id: b.customerId, first: null },
        { id: a.customerId, first: await at(a.id) },
      ]),
    );
    await t.http
      .post(`/api/orders/${a.id}/cancel`)
      .set('Cookie', live.cookie)
      .send({ reason: 'changed mind' })
      .expect(200);
    const kept2 = await firsts();
    expect(kept2).toEqual(expect.arrayContaining([{ id: a.customerId, first: await at(c.id) }]));
    // The links between each customer's orders (previous and next not cancelled), kept live, equal the rebuild's.
    const links = () =>
      sql(
        t.app,
        `select order_id, first, cancelled, prev_at::text as prev, next_at::text as next from analytics_orders
         where seller_id = ? order by order_id`,
        [live.sellerId],
      );
    const live2 = await links();
    expect(live2.filter((l) => l.prev !== null || l.next !== null).length).toBeGreaterThan(0);
    await rebuildReadModels(t.app.get(MikroORM).em.fork(), live.sellerId);
    expect(await firsts()).toEqual(kept2);
    expect(await links()).toEqual(live2);
    const cust = (await t.http.get('/api/analytics/customers?period=7d').set('Cookie', live.cookie).expect(200)).body;
    // Left: c and the fourth order, both the same customer's; c is the first, so 1 customer, 1 repeat order of 2.
    expect(cust).toMatchObject({ retentionRate: 1, repeatPurchaseRate: 0.5 });
  });

  it('keeps the customers histogram and links exact under random live orders, payments and cancellations', async () => {
    const shop = await registerSeller(t.http);
    const p = await createProduct(t.http, shop, { priceKes: 300, stock: 10_000 });
    // A seeded generator: the same sequence every run, many shapes (firsts cancelled, middles cancelled, repeats).
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const placed: { id: string; totalKes: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const body = orderBody(shop, [{ productId: p.id, quantity: 1 + rand(4) }], {
        customerPhone: `07220000${10 + rand(6)}`,
        paymentMethod: 'CASH_ON_DELIVERY',
      });
      placed.push((await t.http.post('/api/orders').send(body).expect(201)).body);
      const pick = placed[rand(placed.length)];
      const move = rand(4);
      if (move === 0)
        await t.http.post(`/api/orders/${pick.id}/cancel`).set('Cookie', shop.cookie).send({ reason: 'test' });
      if (move === 1)
        await t.http
          .post(`/api/orders/${pick.id}/payments`)
          .set('Cookie', shop.cookie)
          .send({ mpesaReceipt: `QR${String(i).padStart(8, '0')}`, amountKes: pick.totalKes });
    }
    const gaps = () =>
      sql(
        t.app,
        `select day::text, prev_day::text, first, prev_first, orders from analytics_customer_gaps
         where seller_id = ? and orders <> 0 order by 1, 2, 3, 4`,
        [shop.sellerId],
      );
    const fromFacts = () =>
      sql(
        t.app,
        `select (placed_at at time zone 'Africa/Nairobi')::date::text as day,
                coalesce((prev_at at time zone 'Africa/Nairobi')::date, '-infinity')::text as prev_day,
                first, prev_first, count(*)::int as orders
         from analytics_orders where seller_id = ? and not cancelled group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
        [shop.sellerId],
      );
    const facts = () =>
      sql(
        t.app,
        // Live facts carry the event's millisecond time, a rebuild the row's microseconds.
        `select order_id, first, prev_first, cancelled, paid, date_trunc('milliseconds', prev_at)::text as prev,
                date_trunc('milliseconds', next_at)::text as next
         from analytics_orders where seller_id = ? order by order_id`,
        [shop.sellerId],
      );
    const live = await facts();
    expect(live.filter((f) => f.cancelled).length).toBeGreaterThan(3);
    expect(live.filter((f) => f.prev_first).length).toBeGreaterThan(0);
    expect(await gaps()).toEqual(await fromFacts());
    // The rebuild from the orders tables computes the same facts, and the histogram follows it.
    await rebuildReadModels(t.app.get(MikroORM).em.fork(), shop.sellerId);
    expect(await facts()).toEqual(live);
    expect(await gaps()).toEqual(await fromFacts());

    // The report equals the same figures computed from the raw orders.
    const c = (await t.http.get('/api/analytics/customers?period=7d').set('Cookie', shop.cookie).expect(200)).body;
    const [raw] = await sql<{ customers: number; repeaters: number; orders: number; repeat_orders: number }>(
      t.app,
      `with o as (select customer_id, row_number() over (partition by customer_id order by created_at, id) as n
                  from orders where seller_id = ? and status <> 'CANCELLED')
       select count(distinct customer_id)::int as customers,
              count(distinct customer_id) filter (where n > 1)::int as repeaters,
              count(*)::int as orders, count(*) filter (where n > 1)::int as repeat_orders from o`,
      [shop.sellerId],
    );
    const top = await sql<{ id: string; spent: number; orders: number }>(
      t.app,
      `select customer_id as id, sum(total_kes)::int as spent, count(*)::int as orders from orders
       where seller_id = ? and status in ('PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED')
       group by customer_id order by spent desc, customer_id limit 10`,
      [shop.sellerId],
    );
    const round = (x: number) => Math.round(x * 10_000) / 10_000;
    expect(c.retentionRate).toBe(round(raw.repeaters / raw.customers));
    expect(c.repeatPurchaseRate).toBe(round(raw.repeat_orders / raw.orders));
    const today = c.series.at(-1);
    expect(today.newCustomers + today.returningCustomers).toBe(raw.customers);
    expect(c.topCustomers.map((x: { customerId: string; spentKes: number; orders: number }) => x)).toEqual(
      top.map((x) => expect.objectContaining({ customerId: x.id, spentKes: x.spent, orders: x.orders })),
    );
  });
});
