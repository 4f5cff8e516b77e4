import { ALL_ENTITIES } from '../../src/app.entities.js';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { rebuildReadModels } from './read-models.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { mikroOrmOptions } from '../../src/database/mikro-orm.options.js';

export const DEMO_EMAIL = 'demo@sokohub.test';
export const DEMO_PASSWORD = 'demo-password';

/**
 * A demo shop with products, customers, orders over the last 120 days and storefront views, generated in SQL
 * (a million orders take seconds, not minutes). Replaces an earlier demo shop.
 */
export async function seedDemo(
  url: string,
  orders: number,
  log: (line: string) => void = console.log,
): Promise<{ sellerId: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  try {
    await client.query('begin');
    await client.query('delete from sellers where id in (select seller_id from users where email = $1)', [DEMO_EMAIL]);
    const sellerId = 'sel_dem00000000000000000000000';
    await client.query('delete from sellers where id = $1', [sellerId]);
    await client.query(
      "insert into sellers (id, store_name, store_slug, phone) values ($1, 'Demo Duka', 'demo-duka', '+254712345678')",
      [sellerId],
    );
    await client.query(
      "insert into users (id, seller_id, email, name, password_hash, role) values ('usr_dem00000000000000000000000', $1, $2, 'Demo Owner', $3, 'OWNER')",
      [sellerId, DEMO_EMAIL, await hashPassword(DEMO_PASSWORD)],
    );
    const customers = Math.max(10, Math.floor(orders / 4));
    await client.query(
      `insert into products (id, seller_id, name, price_kes, sku, category, stock, low_stock_threshold, is_active, images)
       select 'prod_dem0' || lpad(i::text, 21, '0'), $1, 'Demo product ' || i, 200 + (i * 137) % 4800, 'DEMO-' || i,
              (array['Bags', 'Fashion', 'Kitchen', 'Food', 'Beauty'])[1 + i % 5], 50 + (i * 31) % 500, 5, true, '[]'
       from generate_series(1, 50) i`,
      [sellerId],
    );
    await client.query(
      `insert into customers (id, seller_id, name, phone, tags, created_at)
       select 'cus_dem0' || lpad(i::text, 22, '0'), $1, 'Customer ' || i, '+2547' || lpad(i::text, 8, '0'), '{}',
              now() - interval '120 days' + (i::double precision / $2::int) * interval '120 days'
       from generate_series(1, $2::int) i`,
      [sellerId, customers],
    );
    // Orders spread evenly over 120 days; a customer orders only after being created; statuses in realistic shares.
    await client.query(
      `insert into orders (id, seller_id, reference_code, customer_id, customer_name, customer_phone, delivery_method, payment_method,
                           status, total_kes, item_count, created_at, updated_at)
       select 'ord_dem0' || lpad(i::text, 22, '0'), $1, 'SKH-DEMO-' || lpad(i::text, 8, '0'),
              'cus_dem0' || lpad(c::text, 22, '0'), 'Customer ' || c, '+2547' || lpad(c::text, 8, '0'), 'DELIVERY', 'MPESA',
              (array['DELIVERED', 'DELIVERED', 'DELIVERED', 'PAID', 'CONFIRMED', 'DISPATCHED', 'PENDING', 'CANCELLED'])[1 + (i * 7) % 8],
              q * (200 + (p * 137) % 4800), q, ts, ts
       from (
         select i, 1 + (i % 50) as p, 1 + (i % 3) as q,
                now() - interval '120 days' + (i::double precision / $2::int) * interval '120 days' as ts,
                greatest(1, least($3::int, floor(random() * (i::double precision / $2::int) * $3::int)::int + 1)) as c
         from generate_series(1, $2::int) i
       ) g`,
      [sellerId, orders, customers],
    );
    await client.query(
      `insert into order_items (id, order_id, seller_id, product_id, product_name, quantity, unit_price_kes, subtotal_kes)
       select 'oit_dem0' || substr(o.id, 9), o.id, o.seller_id, 'prod_dem0' || lpad((1 + (substr(o.id, 9)::bigint % 50))::text, 21, '0'),
              'Demo product ' || (1 + (substr(o.id, 9)::bigint % 50)), o.item_count, o.total_kes / o.item_count, o.total_kes
       from orders o where o.seller_id = $1`,
      [sellerId],
    );
    await client.query(
      `insert into product_daily_views (product_id, seller_id, day, views)
       select 'prod_dem0' || lpad(p::text, 21, '0'), $1, (now() at time zone 'Africa/Nairobi')::date - d, 20 + (p * d) % 80
       from generate_series(1, 50) p, generate_series(0, 119) d`,
      [sellerId],
    );
    await client.query('commit');
    await client.query('analyze orders; analyze order_items; analyze customers; analyze product_daily_views');
    await client.query('vacuum (analyze) orders');
    const orm = await MikroORM.init(mikroOrmOptions(url, 2, 0, ALL_ENTITIES));
    try {
      await rebuildReadModels(orm.em.fork(), sellerId);
    } finally {
      await orm.close(true);
    }
    // As autovacuum would leave them in a running shop: visibility maps set (index-only scans), statistics fresh.
    await client.query(
      'vacuum (analyze) customers, analytics_orders, analytics_customer_gaps, analytics_customer_spend, seller_daily_stats',
    );
    await client.query('vacuum (analyze) analytics_product_sales');
    log(
      `demo shop ${sellerId} (${DEMO_EMAIL} / ${DEMO_PASSWORD}): ${orders} orders, ${customers} customers, 50 products in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { sellerId };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
