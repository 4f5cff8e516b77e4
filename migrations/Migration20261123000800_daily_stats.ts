import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000800_daily_stats extends Migration {
  override name = 'Migration20261123000800_daily_stats';

  override up(): void {
    this.addSql(`
      -- Per shop and Nairobi day: kept up to date in each order's own transaction, so the overview and the revenue
      -- series read a few hundred rows instead of a million orders.
      create table seller_daily_stats (
        seller_id text not null references sellers(id) on delete cascade deferrable initially deferred,
        day date not null,
        orders integer not null default 0,
        paid_orders integer not null default 0,
        revenue_kes bigint not null default 0,
        new_customers integer not null default 0,
        primary key (seller_id, day)
      );
      insert into seller_daily_stats (seller_id, day, orders, paid_orders, revenue_kes, new_customers)
      select seller_id, day, sum(orders), sum(paid), sum(revenue), sum(new_customers) from (
        select seller_id, (created_at at time zone 'Africa/Nairobi')::date as day, count(*) as orders,
               count(*) filter (where status in ('PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED')) as paid,
               coalesce(sum(total_kes) filter (where status in ('PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED')), 0) as revenue,
               0 as new_customers
        from orders group by 1, 2
        union all
        select seller_id, (created_at at time zone 'Africa/Nairobi')::date, 0, 0, 0, count(*) from customers group by 1, 2
      ) x group by seller_id, day;
    `);
  }
}
