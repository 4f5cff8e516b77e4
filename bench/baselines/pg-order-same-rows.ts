import pg from 'pg';
import { pgbench, type PgbenchResult } from '../lib/pgbench.js';

/**
 * A second database baseline for order placement: the rows an order of the bench writes, in the app's own tables
 * (their indexes, foreign keys and triggers), written by hand in as few statements as SQL allows: the reference
 * counter, the stock, the customer with its counters, the order, its line, its timeline entry, the analytics fact
 * linked to the customer's previous order, and the shop's daily roll-up. No outbox row: the bench's shops have no
 * subscriptions, so the app writes none either. What it leaves out is what the app reads to decide (prices, the
 * open-order limits, subscriptions): beside pg-order-tx.ts it tells the cost of the rows apart from the cost of how
 * we write them.
 */
const SCRIPT = `\\set s random(1, :shops)
\\set p random(1, :products)
\\set b random(1, :buyers)
BEGIN;
INSERT INTO order_sequences (seller_id, year, last_value) VALUES ('bench-s-' || :s::text, 2026, 1)
  ON CONFLICT (seller_id, year) DO UPDATE SET last_value = order_sequences.last_value + 1 RETURNING last_value AS n
\\gset
UPDATE products SET stock = stock - 2, updated_at = now()
  WHERE id = 'bench-p-' || :s::text || '-' || :p::text AND stock >= 2;
INSERT INTO customers (id, seller_id, name, phone, order_count, first_ordered_at, last_ordered_at)
  VALUES ('bench-c-' || :s::text || '-' || :b::text, 'bench-s-' || :s::text, 'Amina Wanjiku',
          '+2547' || lpad(:b::text, 8, '0'), 1, now(), now())
  ON CONFLICT (seller_id, phone) DO UPDATE SET order_count = customers.order_count + 1, last_ordered_at = now()
  RETURNING id AS cid, (xmax = 0)::int AS created
\\gset
SELECT 'bench-o-' || nextval('bench_order_ids') AS oid
\\gset
INSERT INTO orders (id, seller_id, reference_code, customer_id, customer_name, customer_phone, delivery_method,
    payment_method, status, total_kes, item_count, stk_prompt, hold_expires_at, client_key)
  VALUES (:oid, 'bench-s-' || :s::text, 'SKH-2026-' || lpad(:n::text, 5, '0'), :cid, 'Amina Wanjiku',
          '+2547' || lpad(:b::text, 8, '0'), 'PICKUP', 'CASH_ON_DELIVERY', 'PENDING', 3000, 2, false,
          now() + interval '48 hours', '10.0.0.' || :b::text);
INSERT INTO order_items (id, order_id, seller_id, product_id, product_name, quantity, unit_price_kes, subtotal_kes)
  VALUES (:oid || '-i', :oid, 'bench-s-' || :s::text, 'bench-p-' || :s::text || '-' || :p::text, 'Kikoi', 2, 1500,
          3000);
INSERT INTO order_timeline (id, order_id, status, actor) VALUES (:oid || '-t', :oid, 'PENDING', 'customer');
WITH prev AS (
  SELECT order_id, placed_at, first FROM analytics_orders WHERE customer_id = :cid AND NOT cancelled
  ORDER BY placed_at DESC, order_id DESC LIMIT 1
), before AS (
  UPDATE analytics_orders SET next_at = now() WHERE order_id = (SELECT order_id FROM prev)
)
INSERT INTO analytics_orders (order_id, seller_id, customer_id, placed_at, total_kes, paid, cancelled, first,
    prev_first, prev_at, next_at)
  SELECT :oid, 'bench-s-' || :s::text, :cid, now(), 3000, false, false, NOT EXISTS (SELECT 1 FROM prev),
         coalesce((SELECT first FROM prev), false), (SELECT placed_at FROM prev), NULL;
INSERT INTO seller_daily_stats (seller_id, day, orders, new_customers)
  VALUES ('bench-s-' || :s::text, (now() AT TIME ZONE 'Africa/Nairobi')::date, 1, :created::int)
  ON CONFLICT (seller_id, day) DO UPDATE SET orders = seller_daily_stats.orders + 1,
    new_customers = seller_daily_stats.new_customers + excluded.new_customers;
END;
`;

/**
 * The same rows in one statement (data-modifying CTEs): no statement's own overhead (its messages, snapshot, executor
 * start and end) beyond one; what is left is the cost of the rows themselves, their indexes and triggers.
 */
const ONE_STATEMENT = `\\set s random(1, :shops)
\\set p random(1, :products)
\\set b random(1, :buyers)
BEGIN;
WITH ids AS (SELECT 'bench-o-' || nextval('bench_order_ids') AS oid),
seq AS (INSERT INTO order_sequences (seller_id, year, last_value) VALUES ('bench-s-' || :s::text, 2026, 1)
  ON CONFLICT (seller_id, year) DO UPDATE SET last_value = order_sequences.last_value + 1 RETURNING last_value AS n),
stock AS (UPDATE products SET stock = stock - 2, updated_at = now()
  WHERE id = 'bench-p-' || :s::text || '-' || :p::text AND stock >= 2 RETURNING 1),
cust AS (INSERT INTO customers (id, seller_id, name, phone, order_count, first_ordered_at, last_ordered_at)
  VALUES ('bench-c-' || :s::text || '-' || :b::text, 'bench-s-' || :s::text, 'Amina Wanjiku',
          '+2547' || lpad(:b::text, 8, '0'), 1, now(), now())
  ON CONFLICT (seller_id, phone) DO UPDATE SET order_count = customers.order_count + 1, last_ordered_at = now()
  RETURNING id AS cid, (xmax = 0)::int AS created),
o AS (INSERT INTO orders (id, seller_id, reference_code, customer_id, customer_name, customer_phone, delivery_method,
    payment_method, status, total_kes, item_count, stk_prompt, hold_expires_at, client_key)
  SELECT ids.oid, 'bench-s-' || :s::text, 'SKH-2026-' || lpad(seq.n::text, 5, '0'), cust.cid, 'Amina Wanjiku',
          '+2547' || lpad(:b::text, 8, '0'), 'PICKUP', 'CASH_ON_DELIVERY', 'PENDING', 3000, 2, false,
          now() + interval '48 hours', '10.0.0.' || :b::text FROM ids, seq, cust RETURNING id),
it AS (INSERT INTO order_items (id, order_id, seller_id, product_id, product_name, quantity, unit_price_kes,
    subtotal_kes)
  SELECT o.id || '-i', o.id, 'bench-s-' || :s::text, 'bench-p-' || :s::text || '-' || :p::text, 'Kikoi', 2, 1500,
         3000 FROM o),
tl AS (INSERT INTO order_timeline (id, order_id, status, actor)
  SELECT o.id || '-t', o.id, 'PENDING', 'customer' FROM o),
prev AS (
  SELECT order_id, placed_at, first FROM analytics_orders WHERE customer_id = (SELECT cid FROM cust) AND NOT cancelled
  ORDER BY placed_at DESC, order_id DESC LIMIT 1
), bef AS (
  UPDATE analytics_orders SET next_at = now() WHERE order_id = (SELECT order_id FROM prev)
), fact AS (
INSERT INTO analytics_orders (order_id, seller_id, customer_id, placed_at, total_kes, paid, cancelled, first,
    prev_first, prev_at, next_at)
  SELECT o.id, 'bench-s-' || :s::text, cust.cid, now(), 3000, false, false, NOT EXISTS (SELECT 1 FROM prev),
         coalesce((SELECT first FROM prev), false), (SELECT placed_at FROM prev), NULL FROM o, cust
), daily AS (
INSERT INTO seller_daily_stats (seller_id, day, orders, new_customers)
  SELECT 'bench-s-' || :s::text, (now() AT TIME ZONE 'Africa/Nairobi')::date, 1, cust.created FROM cust
  ON CONFLICT (seller_id, day) DO UPDATE SET orders = seller_daily_stats.orders + 1,
    new_customers = seller_daily_stats.new_customers + excluded.new_customers)
SELECT 1;
END;
`;

/** Shops and products of the baseline's own (ids the script can build from numbers), beside the app's. */
async function prepare(url: string, shops: number, products: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('create sequence if not exists bench_order_ids');
    await c.query(
      `insert into sellers (id, store_name, store_slug, phone)
       select 'bench-s-' || s, 'Bench ' || s, 'bench-s-' || s, '+254700000000' from generate_series(1, $1) s
       on conflict do nothing`,
      [shops],
    );
    await c.query(
      `insert into products (id, seller_id, name, price_kes, stock)
       select 'bench-p-' || s || '-' || p, 'bench-s-' || s, 'Kikoi', 1500, 100000000
       from generate_series(1, $1) s, generate_series(1, $2) p
       on conflict do nothing`,
      [shops, products],
    );
  } finally {
    await c.end();
  }
}

export async function pgOrderSameRows(
  url: string,
  postmaster: number,
  opts: { shops: number; products: number; buyers: number; clients: number; seconds: number; oneStatement?: boolean },
): Promise<PgbenchResult> {
  await prepare(url, opts.shops, opts.products);
  return pgbench(url, postmaster, opts.oneStatement ? ONE_STATEMENT : SCRIPT, {
    clients: opts.clients,
    seconds: opts.seconds,
    prepared: true,
    defines: { shops: opts.shops, products: opts.products, buyers: opts.buyers },
  });
}
