import { MikroORM } from '@mikro-orm/postgresql';
import { rebuildReadModels } from '../../scripts/lib/read-models.js';
import { CustomerSpendWindows } from '../../src/analytics/customer-spend-windows.js';
import { registerSeller, type SellerSession } from '../support/factories.js';
import { createProduct, orderBody } from '../support/shop.js';
import { bootApp, type TestApp } from '../support/test-app.js';
import { sql } from '../support/webhook-helpers.js';

interface Spend {
  days: number;
  customer_id: string;
  spent: number;
  orders: number;
}

/**
 * The top customers of the last 7/30/90 days are kept in analytics_customer_spend by the database (a trigger on the
 * order facts, and a roll at Nairobi midnight). Every check here holds the kept rows equal to the same sums computed
 * from the orders table itself, and the report equal to them.
 */
describe('Analytics: kept top-customer windows (e2e)', () => {
  let t: TestApp;
  let s: SellerSession;
  let productId: string;
  let receipt = 0;

  const kept = (sellerId = s.sellerId) =>
    sql<Spend>(
      t.app,
      `select days, customer_id, spent_kes::int as spent, orders from analytics_customer_spend
       where seller_id = ? order by 1, 2`,
      [sellerId],
    );
  /** The same sums from the raw orders, over each window's start (or over the last N days ending today). */
  const fromOrders = (sellerId = s.sellerId, start = 'w.start_day') =>
    sql<Spend>(
      t.app,
      `select w.days, o.customer_id, sum(o.total_kes)::int as spent, count(*)::int as orders
       from analytics_spend_windows w join orders o
         on o.seller_id = w.seller_id and o.created_at >= (${start}::timestamp at time zone 'Africa/Nairobi')
       where o.seller_id = ? and o.status in ('PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED')
       group by 1, 2 order by 1, 2`,
      [sellerId],
    );
  const windows = (sellerId = s.sellerId) =>
    sql<{ days: number; current: boolean }>(
      t.app,
      `select days, start_day = (now() at time zone 'Africa/Nairobi')::date - (days - 1) as current
       from analytics_spend_windows where seller_id = ? order by days`,
      [sellerId],
    );
  const current = async (sellerId = s.sellerId) => {
    const w = await windows(sellerId);
    return w.length === 3 && w.every((x) => x.current);
  };
  const setBack = (days: number, sellerId = s.sellerId, where = '') =>
    sql(t.app, `update analytics_spend_windows set start_day = start_day - ? where seller_id = ? ${where}`, [
      days,
      sellerId,
    ]);

  async function place(phone: string, quantity: number): Promise<{ id: string; totalKes: number }> {
    const body = orderBody(s, [{ productId, quantity }], { customerPhone: phone, paymentMethod: 'CASH_ON_DELIVERY' });
    return (await t.http.post('/api/orders').send(body).expect(201)).body;
  }
  const pay = (o: { id: string; totalKes: number }) =>
    t.http
      .post(`/api/orders/${o.id}/payments`)
      .set('Cookie', s.cookie)
      .send({ mpesaReceipt: `QS${String(++receipt).padStart(8, '0')}`, amountKes: o.totalKes })
      .expect(201);
  const cancel = (id: string) =>
    t.http.post(`/api/orders/${id}/cancel`).set('Cookie', s.cookie).send({ reason: 'test' }).expect(200);
  const top = async (period: string) =>
    (
      await t.http.get(`/api/analytics/customers?period=${period}`).set('Cookie', s.cookie).expect(200)
    ).body.topCustomers.map((x: { customerId: string; spentKes: number; orders: number }) => ({
      customerId: x.customerId,
      spentKes: x.spentKes,
      orders: x.orders,
    }));
  /** The report's top ten, as the raw orders rank them (spend desc, then id). */
  const expectedTop = (rows: Spend[], days: number) =>
    rows
      .filter((r) => r.days === days)
      .sort((a, b) => b.spent - a.spent || (a.customer_id < b.customer_id ? -1 : 1))
      .slice(0, 10)
      .map((r) => ({ customerId: r.customer_id, spentKes: r.spent, orders: r.orders }));

  beforeAll(async () => {
    t = await bootApp();
    s = await registerSeller(t.http);
    productId = (await createProduct(t.http, s, { priceKes: 250, stock: 100_000 })).id;
  });
  afterAll(() => t.close());

  it('follows live payments and cancellations (paid or not), and answers the report', async () => {
    // A shop without a paid order has no windows: its first payment makes them, from its facts.
    expect(await windows()).toEqual([]);
    let seed = 11;
    // High bits: the low bits of this generator repeat quickly.
    const rand = (n: number) => Math.floor((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 65_536) % n;
    const placed: { id: string; totalKes: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const o = await place(`07330000${10 + rand(30)}`, 1 + rand(5));
      placed.push(o);
      const move = rand(3);
      if (move !== 2) await pay(o);
      // Cancelling some, paid or not: a paid one leaves its customer's sums.
      if (rand(4) === 0) await cancel(placed[rand(placed.length)].id).catch(() => undefined);
    }
    expect(await current()).toBe(true);
    const rows = await kept();
    expect(rows.filter((r) => r.days === 7).length).toBeGreaterThan(10);
    expect(rows).toEqual(await fromOrders());
    // Another shop's kept rows stay apart.
    const other = await registerSeller(t.http);
    expect(await kept(other.sellerId)).toEqual([]);
    for (const [period, days] of [
      ['7d', 7],
      ['30d', 30],
      ['90d', 90],
    ] as const)
      expect(await top(period)).toEqual(expectedTop(rows, days));
  });

  it('counts older orders only in the windows they fall in, and a read-model rebuild computes the same rows', async () => {
    // Orders loaded by SQL 3, 10, 45 and 120 days ago, then the read models rebuilt (as the demo seed does).
    const customer = (
      await sql<{ id: string }>(t.app, 'select id from customers where seller_id = ? limit 1', [s.sellerId])
    )[0].id;
    for (const [i, daysAgo] of [3, 10, 45, 120].entries())
      await sql(
        t.app,
        `insert into orders (id, seller_id, reference_code, customer_id, customer_name, customer_phone, delivery_method,
           payment_method, status, total_kes, item_count, created_at)
         values (?, ?, ?, ?, 'x', '+254733000010', 'PICKUP', 'MPESA', 'DELIVERED', ?, 1, now() - make_interval(days => ?))`,
        [`ord_old${String(i).padStart(23, '0')}`, s.sellerId, `SKH-OLD-${i}`, customer, 1000 * (i + 1), daysAgo],
      );
    await rebuildReadModels(t.app.get(MikroORM).em.fork(), s.sellerId);
    const rows = await kept();
    expect(rows).toEqual(await fromOrders());
    const mine = (days: number) => rows.find((r) => r.days === days && r.customer_id === customer);
    // 3 days ago: in all three; 10: 30 and 90; 45: 90; 120: none.
    expect(mine(90)!.spent - mine(30)!.spent).toBe(3000);
    expect(mine(30)!.spent - mine(7)!.spent).toBe(2000);
    expect(await top('90d')).toEqual(expectedTop(rows, 90));
  });

  it('a window behind the day is not read: the report sums instead, and moves it; the move takes out the days that left', async () => {
    // As if midnight passed twice without a roll: each window starts two days early and holds those days' orders.
    await setBack(2);
    await sql(t.app, 'select analytics_customer_spend_rebuild(null)');
    expect(await kept()).toEqual(await fromOrders());
    expect((await windows()).some((w) => w.current)).toBe(false);
    // Orders from 7 and 8 days ago: inside the stale 7-day window only (loaded by SQL, read models rebuilt). The
    // second is a new customer's only order: the move must take that customer out of the 7-day window altogether.
    const [{ id: regular }] = await sql<{ id: string }>(t.app, 'select id from customers where seller_id = ? limit 1', [
      s.sellerId,
    ]);
    const lapsed = 'cus_lapsed000000000000000000';
    await sql(
      t.app,
      `insert into customers (id, seller_id, name, phone, tags, created_at)
       values (?, ?, 'Lapsed', '+254733999999', '{}', now() - interval '8 days')`,
      [lapsed, s.sellerId],
    );
    for (const [i, [customer, daysAgo]] of [
      [regular, 7],
      [lapsed, 8],
    ].entries())
      await sql(
        t.app,
        `insert into orders (id, seller_id, reference_code, customer_id, customer_name, customer_phone, delivery_method,
           payment_method, status, total_kes, item_count, created_at)
         values (?, ?, ?, ?, 'x', '+254733000010', 'PICKUP', 'MPESA', 'DELIVERED', 99999, 1,
                 now() - make_interval(days => ?))`,
        [`ord_lag${String(i).padStart(23, '0')}`, s.sellerId, `SKH-LAG-${i}`, customer, daysAgo],
      );
    await rebuildReadModels(t.app.get(MikroORM).em.fork(), s.sellerId);
    expect(await kept()).toEqual(await fromOrders());
    const staleTop = (await kept()).filter((r) => r.days === 7).sort((a, b) => b.spent - a.spent)[0];
    expect(staleTop.spent).toBeGreaterThanOrEqual(99999);
    expect((await kept()).filter((r) => r.customer_id === lapsed).map((r) => r.days)).toEqual([7, 30, 90]);

    // The report does not read the stale window (its top spenders would be the 7- and 8-day-old orders' customers)…
    const today = await fromOrders(s.sellerId, "((now() at time zone 'Africa/Nairobi')::date - (w.days - 1))");
    expect(expectedTop(today, 7)).not.toEqual(expectedTop(await kept(), 7));
    expect(await top('7d')).toEqual(expectedTop(today, 7));
    // …and it asked the database to move the windows.
    await waitFor(() => current());
    expect(await kept()).toEqual(await fromOrders());
    expect((await kept()).filter((r) => r.customer_id === lapsed).map((r) => r.days)).toEqual([30, 90]);
    expect(await top('7d')).toEqual(expectedTop(await fromOrders(), 7));
  });

  it('a roll that races live payments loses none of them', async () => {
    const fresh = [];
    for (let i = 0; i < 12; i++) fresh.push(await place(`07330001${10 + i}`, 2));
    await setBack(1);
    await sql(t.app, 'select analytics_customer_spend_rebuild(?)', [s.sellerId]);
    await Promise.all([
      sql(t.app, 'select analytics_customer_spend_roll(?)', [s.sellerId]),
      ...fresh.map((o) => pay(o)),
    ]);
    expect(await current()).toBe(true);
    expect(await kept()).toEqual(await fromOrders());
  });

  it('a window more than its length behind is recomputed whole', async () => {
    await setBack(40, s.sellerId, 'and days = 7');
    const [r] = await sql<{ moved: number }>(t.app, 'select analytics_customer_spend_roll(?) as moved', [s.sellerId]);
    expect(r.moved).toBe(1);
    expect(await kept()).toEqual(await fromOrders());
  });

  it("the minute job moves every shop that is behind, each on its own, and leaves current shops' rows alone", async () => {
    const b = await registerSeller(t.http);
    const p = (await createProduct(t.http, b, { priceKes: 400, stock: 100 })).id;
    const o = (
      await t.http
        .post('/api/orders')
        .send(orderBody(b, [{ productId: p, quantity: 3 }], { paymentMethod: 'CASH_ON_DELIVERY' }))
        .expect(201)
    ).body;
    await t.http
      .post(`/api/orders/${o.id}/payments`)
      .set('Cookie', b.cookie)
      .send({ mpesaReceipt: 'QT00000001', amountKes: o.totalKes })
      .expect(201);
    expect(await kept(b.sellerId)).toEqual(await fromOrders(b.sellerId));
    const before = await kept(b.sellerId);
    await setBack(3);
    await setBack(5, b.sellerId);
    await sql(t.app, 'select analytics_customer_spend_rebuild(null)');
    expect(await current()).toBe(false);
    expect(await current(b.sellerId)).toBe(false);
    expect(await t.app.get(CustomerSpendWindows).roll()).toBe(2);
    expect(await current()).toBe(true);
    expect(await current(b.sellerId)).toBe(true);
    expect(await kept()).toEqual(await fromOrders());
    expect(await kept(b.sellerId)).toEqual(before);
    // Nothing behind: the next pass moves nothing.
    expect(await t.app.get(CustomerSpendWindows).roll()).toBe(0);
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
