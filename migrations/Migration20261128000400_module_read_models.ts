import { Migration } from '@mikro-orm/migrations';

const TZ = 'Africa/Nairobi';
const PAID = `('PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED')`;

export class Migration20261128000400_module_read_models extends Migration {
  override name = 'Migration20261128000400_module_read_models';

  override up(): void {
    this.addSql(`
      -- Each module keeps what it needs from orders in its own tables, written in the order's transaction through
      -- internal events, instead of reading the orders tables. Customers: their order counts and spend.
      alter table customers
        add column order_count integer not null default 0,
        add column paid_order_count integer not null default 0,
        add column spent_kes bigint not null default 0,
        add column first_ordered_at timestamptz,
        add column last_ordered_at timestamptz;
      update customers c set order_count = s.n, paid_order_count = s.paid, spent_kes = s.spent,
             first_ordered_at = s.first, last_ordered_at = s.last
        from (select customer_id, count(*) as n, count(*) filter (where status in ${PAID}) as paid,
                     coalesce(sum(total_kes) filter (where status in ${PAID}), 0) as spent,
                     min(created_at) as first, max(created_at) as last
              from orders group by customer_id) s
        where s.customer_id = c.id;
      create index customers_spent_index on customers (seller_id, spent_kes desc, id desc);
      create index customers_last_order_index on customers (seller_id, last_ordered_at desc nulls last, id desc);

      -- Analytics: one fact row per order (first = the customer's earliest order not cancelled) and paid units and
      -- revenue per shop, Nairobi day and product. customers.first_order_at moves here.
      create table analytics_orders (
        order_id text primary key,
        seller_id text not null,
        customer_id text not null,
        placed_at timestamptz not null,
        total_kes bigint not null,
        paid boolean not null,
        cancelled boolean not null,
        first boolean not null
      );
      create index analytics_orders_seller_index on analytics_orders (seller_id, placed_at);
      create index analytics_orders_customer_index on analytics_orders (customer_id, placed_at, order_id) where not cancelled;
      insert into analytics_orders (order_id, seller_id, customer_id, placed_at, total_kes, paid, cancelled, first)
        select id, seller_id, customer_id, created_at, total_kes, status in ${PAID}, status = 'CANCELLED',
               status <> 'CANCELLED' and row_number() over (partition by customer_id, status = 'CANCELLED' order by created_at, id) = 1
        from orders;

      create table analytics_product_sales (
        seller_id text not null,
        day date not null,
        product_id text not null,
        name text not null,
        units integer not null,
        revenue_kes bigint not null,
        primary key (seller_id, day, product_id)
      );
      insert into analytics_product_sales (seller_id, day, product_id, name, units, revenue_kes)
        select o.seller_id, (o.created_at at time zone '${TZ}')::date, i.product_id,
               (array_agg(i.product_name order by o.created_at desc))[1], sum(i.quantity), sum(i.subtotal_kes)
        from orders o join order_items i on i.order_id = o.id
        where o.status in ${PAID} group by 1, 2, 3;

      alter table customers drop column first_order_at;
    `);
  }
}
