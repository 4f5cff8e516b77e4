import { Migration } from '@mikro-orm/migrations';

/** `hashtextextended('analytics-customer-spend', 0)`: payments take it shared, the daily roll exclusively. */
const LOCK = `hashtextextended('analytics-customer-spend', 0)`;
const TZ = 'Africa/Nairobi';

export class Migration20261204000100_customer_spend_windows extends Migration {
  override name = 'Migration20261204000100_customer_spend_windows';

  override up(): void {
    this.addSql(`
      -- The top customers of the preset periods (the last 7, 30 and 90 Nairobi days) kept as they change, so the
      -- report reads ten rows of an index instead of summing a month of a big shop's orders per customer. A window
      -- covers the facts placed on or after its start_day; each paid, not cancelled fact is counted in every window
      -- it falls in. The roll moves the windows at Nairobi midnight and takes out the day that left.
      create table analytics_spend_windows (
        days smallint primary key,
        start_day date not null
      );
      insert into analytics_spend_windows (days, start_day)
        select d, (now() at time zone '${TZ}')::date - (d - 1) from unnest(array[7, 30, 90]) as d;

      create table analytics_customer_spend (
        days smallint not null,
        seller_id text not null,
        customer_id text not null,
        spent_kes bigint not null,
        orders integer not null,
        primary key (days, seller_id, customer_id)
      );
      create index analytics_customer_spend_top_index
        on analytics_customer_spend (seller_id, days, spent_kes desc, customer_id) include (orders);

      -- One shop's windows recomputed from its facts (every shop's when seller is null): the initial fill, a rebuild
      -- of the read models, a roll after more than a window's length of downtime.
      create function analytics_customer_spend_rebuild(seller text) returns void language plpgsql as $fn$
      begin
        perform pg_advisory_xact_lock(${LOCK});
        delete from analytics_customer_spend where seller is null or seller_id = seller;
        insert into analytics_customer_spend (days, seller_id, customer_id, spent_kes, orders)
          select w.days, f.seller_id, f.customer_id, sum(f.total_kes), count(*)
          from analytics_spend_windows w
          join analytics_orders f on f.placed_at >= (w.start_day::timestamp at time zone '${TZ}')
          where f.paid and not f.cancelled and (seller is null or f.seller_id = seller)
          group by 1, 2, 3;
      end
      $fn$;
      select analytics_customer_spend_rebuild(null);

      -- Kept by the database in the statement that changes the fact, like the customers histogram: an order's payment
      -- or cancellation moves its customer's rows in the windows the order falls in. Orders are placed unpaid, so
      -- placing one writes nothing here.
      create function analytics_customer_spend_track() returns trigger language plpgsql as $fn$
      begin
        -- Shared with other payments, exclusive against the roll: a window never moves under a change in flight.
        perform pg_advisory_xact_lock_shared(${LOCK});
        if tg_op <> 'INSERT' and old.paid and not old.cancelled then
          delete from analytics_customer_spend s using analytics_spend_windows w
            where s.days = w.days and s.seller_id = old.seller_id and s.customer_id = old.customer_id
              and (old.placed_at at time zone '${TZ}')::date >= w.start_day and s.orders = 1;
          update analytics_customer_spend s set spent_kes = s.spent_kes - old.total_kes, orders = s.orders - 1
            from analytics_spend_windows w
            where s.days = w.days and s.seller_id = old.seller_id and s.customer_id = old.customer_id
              and (old.placed_at at time zone '${TZ}')::date >= w.start_day;
        end if;
        if tg_op <> 'DELETE' and new.paid and not new.cancelled then
          insert into analytics_customer_spend as s (days, seller_id, customer_id, spent_kes, orders)
            select w.days, new.seller_id, new.customer_id, new.total_kes, 1 from analytics_spend_windows w
            where (new.placed_at at time zone '${TZ}')::date >= w.start_day
            order by w.days
            on conflict (days, seller_id, customer_id) do update
              set spent_kes = s.spent_kes + excluded.spent_kes, orders = s.orders + 1;
        end if;
        return null;
      end
      $fn$;
      create trigger analytics_customer_spend_insert after insert on analytics_orders
        for each row when (new.paid and not new.cancelled) execute function analytics_customer_spend_track();
      create trigger analytics_customer_spend_delete after delete on analytics_orders
        for each row when (old.paid and not old.cancelled) execute function analytics_customer_spend_track();
      create trigger analytics_customer_spend_update after update of seller_id, customer_id, placed_at, total_kes, paid,
        cancelled on analytics_orders
        for each row when ((old.paid and not old.cancelled or new.paid and not new.cancelled)
          and (old.seller_id, old.customer_id, old.placed_at, old.total_kes, old.paid, old.cancelled)
            is distinct from (new.seller_id, new.customer_id, new.placed_at, new.total_kes, new.paid, new.cancelled))
        execute function analytics_customer_spend_track();

      -- The counted facts of one window's shops placed in [lo, hi): what leaves the window when it moves. The shops
      -- are the window's own (a skip over its primary key), each read from its facts' (seller_id, placed_at) index.
      create function analytics_customer_spend_leaving(w smallint, lo timestamptz, hi timestamptz)
        returns table (seller_id text, customer_id text, spent bigint, n integer) language sql stable as $fn$
        with recursive shops(seller_id) as (
          (select s.seller_id from analytics_customer_spend s where s.days = w order by s.seller_id limit 1)
          union all
          select (select s.seller_id from analytics_customer_spend s
                  where s.days = w and s.seller_id > shops.seller_id order by s.seller_id limit 1)
          from shops where shops.seller_id is not null
        )
        select f.seller_id, f.customer_id, sum(f.total_kes)::bigint, count(*)::int
        from shops join analytics_orders f on f.seller_id = shops.seller_id
        where f.placed_at >= lo and f.placed_at < hi and f.paid and not f.cancelled
        group by 1, 2
      $fn$;

      -- Moves every window to end on \`today\` (Nairobi): the days that left are taken out. Never backwards; a no-op,
      -- without the lock, when the windows are current. Returns how many windows moved.
      create function analytics_customer_spend_roll(today date default (now() at time zone '${TZ}')::date)
        returns integer language plpgsql as $fn$
      declare
        w record;
        new_start date;
        moved integer := 0;
      begin
        if not exists (select 1 from analytics_spend_windows where start_day < today - (days - 1)) then
          return 0;
        end if;
        perform pg_advisory_xact_lock(${LOCK});
        for w in select days, start_day from analytics_spend_windows order by days for update loop
          new_start := today - (w.days - 1);
          continue when new_start <= w.start_day;
          moved := moved + 1;
          update analytics_spend_windows set start_day = new_start where days = w.days;
          if new_start - w.start_day >= w.days then
            delete from analytics_customer_spend where days = w.days;
            insert into analytics_customer_spend (days, seller_id, customer_id, spent_kes, orders)
              select w.days, f.seller_id, f.customer_id, sum(f.total_kes), count(*) from analytics_orders f
              where f.placed_at >= (new_start::timestamp at time zone '${TZ}') and f.paid and not f.cancelled
              group by 2, 3;
            continue;
          end if;
          delete from analytics_customer_spend s
            using analytics_customer_spend_leaving(w.days, w.start_day::timestamp at time zone '${TZ}',
                                                   new_start::timestamp at time zone '${TZ}') x
            where s.days = w.days and s.seller_id = x.seller_id and s.customer_id = x.customer_id and s.orders = x.n;
          update analytics_customer_spend s set spent_kes = s.spent_kes - x.spent, orders = s.orders - x.n
            from analytics_customer_spend_leaving(w.days, w.start_day::timestamp at time zone '${TZ}',
                                                  new_start::timestamp at time zone '${TZ}') x
            where s.days = w.days and s.seller_id = x.seller_id and s.customer_id = x.customer_id;
        end loop;
        return moved;
      end
      $fn$;
    `);
  }

  override down(): void {
    this.addSql(`
      drop function analytics_customer_spend_roll(date);
      drop function analytics_customer_spend_leaving(smallint, timestamptz, timestamptz);
      drop trigger analytics_customer_spend_update on analytics_orders;
      drop trigger analytics_customer_spend_delete on analytics_orders;
      drop trigger analytics_customer_spend_insert on analytics_orders;
      drop function analytics_customer_spend_track();
      drop function analytics_customer_spend_rebuild(text);
      drop table analytics_customer_spend;
      drop table analytics_spend_windows;
    `);
  }
}
