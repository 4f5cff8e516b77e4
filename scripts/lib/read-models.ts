import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Rebuilds, for one shop, what other modules keep from its orders (customers' order counts, analytics' facts, daily
 * roll-up and product sales) straight from the orders tables. The app keeps them in each order's transaction through
 * internal events; this is for rows loaded by SQL past the services (the demo seed, the benchmarks, an import) and
 * to check the live values. It lives outside src/ because it reads every module's tables at once, as a migration does.
 */
const TZ = 'Africa/Nairobi';
const PAID = `('PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED')`;

export async function rebuildReadModels(em: EntityManager, sellerId: string): Promise<void> {
  await em.execute(
    `update customers c set order_count = coalesce(s.n, 0), paid_order_count = coalesce(s.paid, 0),
            spent_kes = coalesce(s.spent, 0), first_ordered_at = s.first, last_ordered_at = s.last
     from customers c2 left join (
       select customer_id, count(*) as n, count(*) filter (where status in ${PAID}) as paid,
              coalesce(sum(total_kes) filter (where status in ${PAID}), 0) as spent, min(created_at) as first, max(created_at) as last
       from orders where seller_id = ? group by customer_id
     ) s on s.customer_id = c2.id
     where c.id = c2.id and c2.seller_id = ?`,
    [sellerId, sellerId],
  );
  // The facts in one transaction, with the customers histogram recomputed in one statement instead of by its
  // trigger row by row (a million-order shop: minutes instead of seconds). The lock this takes on analytics_orders
  // holds other shops' order placements for the length of the rebuild: a tool for loads and checks, not for peak hours.
  await em.transactional(async (tx) => {
    await tx.execute('alter table analytics_orders disable trigger user');
    await tx.execute('delete from analytics_orders where seller_id = ?', [sellerId]);
    await tx.execute(
      `insert into analytics_orders
         (order_id, seller_id, customer_id, placed_at, total_kes, paid, cancelled, first, prev_first, prev_at, next_at)
       select id, seller_id, customer_id, created_at, total_kes, status in ${PAID}, status = 'CANCELLED',
              status <> 'CANCELLED' and row_number() over w = 1, status <> 'CANCELLED' and row_number() over w = 2,
              case when status <> 'CANCELLED' then lag(created_at) over w end,
              case when status <> 'CANCELLED' then lead(created_at) over w end
       from orders where seller_id = ?
       window w as (partition by customer_id, status = 'CANCELLED' order by created_at, id)`,
      [sellerId],
    );
    await tx.execute('delete from analytics_customer_gaps where seller_id = ?', [sellerId]);
    await tx.execute(
      `insert into analytics_customer_gaps (seller_id, day, prev_day, first, prev_first, orders)
       select seller_id, (placed_at at time zone '${TZ}')::date,
              coalesce((prev_at at time zone '${TZ}')::date, '-infinity'), first, prev_first, count(*)
       from analytics_orders where seller_id = ? and not cancelled group by 1, 2, 3, 4, 5`,
      [sellerId],
    );
    await tx.execute('alter table analytics_orders enable trigger user');
    await tx.execute('select analytics_customer_spend_rebuild(?)', [sellerId]);
  });
  await em.execute('delete from analytics_product_sales where seller_id = ?', [sellerId]);
  await em.execute(
    `insert into analytics_product_sales (seller_id, day, product_id, name, units, revenue_kes)
     select o.seller_id, (o.created_at at time zone '${TZ}')::date, i.product_id,
            (array_agg(i.product_name order by o.created_at desc))[1], sum(i.quantity), sum(i.subtotal_kes)
     from orders o join order_items i on i.order_id = o.id
     where o.seller_id = ? and o.status in ${PAID} group by 1, 2, 3`,
    [sellerId],
  );
  await em.execute('delete from seller_daily_stats where seller_id = ?', [sellerId]);
  await em.execute(
    `insert into seller_daily_stats (seller_id, day, orders, paid_orders, revenue_kes, new_customers)
     select ?, day, sum(orders), sum(paid), sum(revenue), sum(new_customers) from (
       select (created_at at time zone '${TZ}')::date as day, count(*) as orders,
              count(*) filter (where status in ${PAID}) as paid,
              coalesce(sum(total_kes) filter (where status in ${PAID}), 0) as revenue, 0 as new_customers
       from orders where seller_id = ? group by 1
       union all
       select (created_at at time zone '${TZ}')::date, 0, 0, 0, count(*) from customers where seller_id = ? group by 1
     ) x group by day`,
    [sellerId, sellerId, sellerId],
  );
}
