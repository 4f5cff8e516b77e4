import pg from 'pg';
import { pgbench, type PgbenchResult } from '../lib/pgbench.js';

/**
 * The database baseline for order placement: an order-shaped transaction run by pgbench on the same PostgreSQL, in
 * tables of its own, with as many clients as the app's load has connections: the reference counter, the stock
 * decrement, the order row, its two item rows, the daily roll-up upsert and the outbox row. `shops` x `products`
 * sets how spread the hot rows are: 1 x 1 puts every order on one counter and one stock row, like the lock-bound
 * app figure.
 */
const SCRIPT = `\\set s random(1, :shops)
\\set p random(1, :products)
BEGIN;
UPDATE bench_seq SET n = n + 1 WHERE shop = :s;
UPDATE bench_stock SET stock = stock - 1 WHERE shop = :s AND product = :p AND stock > 0;
INSERT INTO bench_orders (shop, reference, total_kes, customer_phone) VALUES (:s, 'SKH-2026-00001', 3000, '+254712345678');
INSERT INTO bench_items (order_id, product, quantity, subtotal_kes) VALUES (currval('bench_orders_id_seq'), :p, 1, 1500), (currval('bench_orders_id_seq'), :p, 1, 1500);
INSERT INTO bench_daily (shop, day, orders) VALUES (:s, current_date, 1) ON CONFLICT (shop, day) DO UPDATE SET orders = bench_daily.orders + 1;
INSERT INTO bench_outbox (shop, body) VALUES (:s, '{"event":"ORDER_CREATED"}');
END;
`;

async function prepare(url: string, shops: number, products: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`
      drop table if exists bench_seq, bench_stock, bench_orders, bench_items, bench_daily, bench_outbox;
      create table bench_seq (shop int primary key, n int not null default 0);
      create table bench_stock (shop int, product int, stock int not null, primary key (shop, product));
      create table bench_orders (id bigserial primary key, shop int not null, reference text not null,
        total_kes int not null, customer_phone text not null, created_at timestamptz not null default now());
      create index on bench_orders (shop, created_at);
      create table bench_items (id bigserial primary key, order_id bigint not null, product int not null,
        quantity int not null, subtotal_kes int not null);
      create index on bench_items (order_id);
      create table bench_daily (shop int, day date, orders int not null, primary key (shop, day));
      create table bench_outbox (id bigserial primary key, shop int not null, body json not null,
        created_at timestamptz not null default now());`);
    await c.query('insert into bench_seq (shop) select generate_series(1, $1)', [shops]);
    await c.query(
      'insert into bench_stock select s, p, 100000000 from generate_series(1, $1) s, generate_series(1, $2) p',
      [shops, products],
    );
  } finally {
    await c.end();
  }
}

export async function pgOrderBaseline(
  url: string,
  postmaster: number,
  opts: { shops: number; products: number; clients: number; seconds: number },
): Promise<PgbenchResult> {
  await prepare(url, opts.shops, opts.products);
  return pgbench(url, postmaster, SCRIPT, {
    clients: opts.clients,
    seconds: opts.seconds,
    prepared: true,
    defines: { shops: opts.shops, products: opts.products },
  });
}
