import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000500_customer_order_links extends Migration {
  override name = 'Migration20261128000500_customer_order_links';

  override up(): void {
    this.addSql(`
      -- Each order fact knows when the same customer's previous and next orders (not cancelled) were placed, so the
      -- customers report counts distinct customers of any period with one filtered count instead of a distinct
      -- over every order of the period (a customer's first order within [a, b) is the one whose previous is before a).
      alter table analytics_orders add column prev_at timestamptz, add column next_at timestamptz;
      update analytics_orders f set prev_at = x.prev_at, next_at = x.next_at
        from (select order_id,
                     lag(placed_at) over w as prev_at, lead(placed_at) over w as next_at
              from analytics_orders where not cancelled
              window w as (partition by customer_id order by placed_at, order_id)) x
        where x.order_id = f.order_id;
      drop index analytics_orders_seller_index;
      create index analytics_orders_seller_index on analytics_orders (seller_id, placed_at)
        include (cancelled, paid, first, prev_at, next_at, customer_id, total_kes);

      -- Deliveries resumed as an ordered backlog, for the engine's minute check that a stopped line moves on.
      create index webhook_deliveries_backlog_index on webhook_deliveries (subscriber_kind, subscription_id, created_at)
        where backlog;
    `);
  }
}
