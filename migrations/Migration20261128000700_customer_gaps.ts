import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000700_customer_gaps extends Migration {
  override name = 'Migration20261128000700_customer_gaps';

  override up(): void {
    this.addSql(`
      -- The customers report counts, per bucket, orders whose customer's previous order falls before the bucket (or
      -- before the period): a histogram of (day, day of the previous order) answers that for any range without
      -- visiting each order. prev_first marks a customer's second order (its previous one is their first), which is
      -- what "only order in the period is the first ever" needs without looking forward.
      alter table analytics_orders add column prev_first boolean not null default false;
      update analytics_orders f set prev_first = true
        from (select order_id, row_number() over w as n from analytics_orders where not cancelled
              window w as (partition by customer_id order by placed_at, order_id)) x
        where x.order_id = f.order_id and x.n = 2;

      create table analytics_customer_gaps (
        seller_id text not null,
        day date not null,
        -- the Nairobi day of the customer's previous order not cancelled; '-infinity' for a first order
        prev_day date not null,
        first boolean not null,
        prev_first boolean not null,
        orders integer not null,
        primary key (seller_id, day, prev_day, first, prev_first)
      );
      insert into analytics_customer_gaps (seller_id, day, prev_day, first, prev_first, orders)
        select seller_id, (placed_at at time zone 'Africa/Nairobi')::date,
               coalesce((prev_at at time zone 'Africa/Nairobi')::date, '-infinity'), first, prev_first, count(*)
        from analytics_orders where not cancelled group by 1, 2, 3, 4, 5;

      -- The period's biggest single orders, read in spend order: the top customers who ordered once in a period are
      -- the first few entries of this index that fall in it, without visiting the rest.
      create index analytics_orders_spend_index on analytics_orders (seller_id, total_kes desc, customer_id)
        include (placed_at, prev_at, next_at) where paid and not cancelled;

      -- Kept by the database itself, in the same statement as the fact it counts, so it cannot drift from the facts
      -- whatever writes them (the order listener, a rebuild, a backfill). Only changes of the counted columns fire it.
      create function analytics_customer_gaps_track() returns trigger language plpgsql as $fn$
      begin
        if tg_op <> 'INSERT' and not old.cancelled then
          insert into analytics_customer_gaps as g (seller_id, day, prev_day, first, prev_first, orders)
          values (old.seller_id, (old.placed_at at time zone 'Africa/Nairobi')::date,
                  coalesce((old.prev_at at time zone 'Africa/Nairobi')::date, '-infinity'), old.first, old.prev_first, -1)
          on conflict (seller_id, day, prev_day, first, prev_first) do update set orders = g.orders - 1;
        end if;
        if tg_op <> 'DELETE' and not new.cancelled then
          insert into analytics_customer_gaps as g (seller_id, day, prev_day, first, prev_first, orders)
          values (new.seller_id, (new.placed_at at time zone 'Africa/Nairobi')::date,
                  coalesce((new.prev_at at time zone 'Africa/Nairobi')::date, '-infinity'), new.first, new.prev_first, 1)
          on conflict (seller_id, day, prev_day, first, prev_first) do update set orders = g.orders + 1;
        end if;
        return null;
      end
      $fn$;
      create trigger analytics_customer_gaps_insert after insert on analytics_orders
        for each row when (not new.cancelled) execute function analytics_customer_gaps_track();
      create trigger analytics_customer_gaps_delete after delete on analytics_orders
        for each row when (not old.cancelled) execute function analytics_customer_gaps_track();
      create trigger analytics_customer_gaps_update after update of seller_id, placed_at, prev_at, first, prev_first,
        cancelled on analytics_orders
        for each row when ((old.seller_id, old.placed_at, old.prev_at, old.first, old.prev_first, old.cancelled)
          is distinct from (new.seller_id, new.placed_at, new.prev_at, new.first, new.prev_first, new.cancelled))
        execute function analytics_customer_gaps_track();
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger analytics_customer_gaps_update on analytics_orders;
      drop trigger analytics_customer_gaps_delete on analytics_orders;
      drop trigger analytics_customer_gaps_insert on analytics_orders;
      drop function analytics_customer_gaps_track();
      drop table analytics_customer_gaps;
      drop index analytics_orders_spend_index;
      alter table analytics_orders drop column prev_first;
    `);
  }
}
