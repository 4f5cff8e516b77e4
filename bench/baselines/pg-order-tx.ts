import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The database baseline: an order-shaped transaction (reference counter, stock decrement, order row, two item rows,
 * daily roll-up upsert, outbox row) run by pgbench on the same PostgreSQL, in its own tables, with the same number of
 * clients. `shops` x `products` sets how spread the hot rows are: 1 x 1 is every order on one counter and one stock
 * row, like the worst-case app bench. Where pgbench is missing, the same transaction in a Node pg loop is used, and
 * the result says which.
 */
export interface PgBaseline {
  tool: 'pgbench' | 'node-pg loop';
  tps: number;
}

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

async function nodeLoop(
  url: string,
  shops: number,
  products: number,
  clients: number,
  seconds: number,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  const statements = SCRIPT.split('\n').filter((l) => l && !l.startsWith('\\') && l !== 'BEGIN;' && l !== 'END;');
  const end = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = await pool.connect();
      try {
        while (Date.now() < end) {
          const s = 1 + Math.floor(Math.random() * shops);
          const p = 1 + Math.floor(Math.random() * products);
          await c.query('begin');
          for (const sql of statements) await c.query(sql.replaceAll(':s', String(s)).replaceAll(':p', String(p)));
          await c.query('commit');
          done++;
        }
      } finally {
        c.release();
      }
    }),
  );
  await pool.end();
  return done / seconds;
}

export async function pgOrderBaseline(
  url: string,
  opts: { shops: number; products: number; clients: number; seconds: number },
): Promise<PgBaseline> {
  await prepare(url, opts.shops, opts.products);
  const dir = mkdtempSync(join(tmpdir(), 'sokohub-pgbench-'));
  const file = join(dir, 'order.sql');
  writeFileSync(file, SCRIPT);
  const u = new URL(url);
  const run = spawnSync(
    'pgbench',
    [
      '-n',
      '-f',
      file,
      '-c',
      String(opts.clients),
      '-j',
      '2',
      '-T',
      String(opts.seconds),
      '-D',
      `shops=${opts.shops}`,
      '-D',
      `products=${opts.products}`,
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username || 'postgres'),
      u.pathname.slice(1),
    ],
    { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } },
  );
  const tps = /tps = ([\d.]+)/.exec(run.stdout ?? '');
  if (run.status === 0 && tps) return { tool: 'pgbench', tps: Math.round(Number(tps[1])) };
  return {
    tool: 'node-pg loop',
    tps: Math.round(await nodeLoop(url, opts.shops, opts.products, opts.clients, opts.seconds)),
  };
}
