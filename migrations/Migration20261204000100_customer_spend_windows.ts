import { Migration } from '@mikro-orm/migrations';

/** One shop's lock: its payments take it shared, its roll and rebuild exclusively. */
const LOCK = (shop: string) => `hashtextextended('analytics-customer-spend:' || ${shop}, 0)`;
const TZ = 'Africa/Nairobi';
/** Nairobi midnight at the start of a date, as an instant. */
const AT = (day: string) => `(${day}::timestamp at time zone '${TZ}')`;

export class Migration20261204000100_customer_spend_windows extends Migration {
  override name = 'Migration20261204000100_customer_spend_windows';

  override up(): void {
    this.addSql(`
      -- Each shop's top customers of the preset periods (the last 7, 30 and 90 Nairobi days) kept as they change, so
      -- the report reads ten rows of an index instead of summing a month of a big shop's orders per customer. A
      -- shop's window covers its facts placed on or after start_day; each paid, not cancelled fact is counted in every
      -- window it falls in. The roll moves a shop's windows after Nairobi midnight and takes out the days that left.
      create table analytics_spend_windows (
        seller_id text not null,
        days smallint not null,
        start_day date not null,
        primary key (seller_id, days)
      );
      create index analytics_spend_windows_due_index on analytics_spend_windows (days, start_day);

      create table analytics_customer_spend (
        seller_id text not null,
        days smallint not null,
        customer_id text not null,
        spent_kes bigint not null,
        orders integer not null,
        primary key (seller_id, days, customer_id)
      );
      create index analytics_customer_spend_top_index
        on analytics_customer_spend (seller_id, days, spent_kes desc, customer_id) include (orders);

      -- One shop's windows recomputed from its facts, where they stand (made to end today if the shop has none yet):
      -- its first paid order, a rebuild of the read models. Every shop's at once when shop is null, without the
      -- shops' locks (one per shop in one transaction could fill the lock table): for this migration, which runs it
      -- after creating the triggers (that holds off every writer of the facts until it commits), and for tests.
      create function analytics_customer_spend_rebuild(shop text) returns void language plpgsql as $fn$
      begin
        if shop is null then
          insert into analytics_spend_windows (seller_id, days, start_day)
            select s.seller_id, d, (now() at time zone '${TZ}')::date - (d - 1)
            from (select distinct seller_id from analytics_orders where paid and not cancelled) s,
                 unnest(array[7, 30, 90]) as d
            on conflict (seller_id, days) do nothing;
          delete from analytics_customer_spend;
          insert into analytics_customer_spend (seller_id, days, customer_id, spent_kes, orders)
            select f.seller_id, w.days, f.customer_id, sum(f.total_kes), count(*)
            from analytics_spend_windows w
            join analytics_orders f on f.seller_id = w.seller_id and f.placed_at >= ${AT('w.start_day')}
            where f.paid and not f.cancelled
            group by 1, 2, 3;
          return;
        end if;
        perform pg_advisory_xact_lock(${LOCK('shop')});
        insert into analytics_spend_windows (seller_id, days, start_day)
          select shop, d, (now() at time zone '${TZ}')::date - (d - 1) from unnest(array[7, 30, 90]) as d
          on conflict (seller_id, days) do nothing;
        delete from analytics_customer_spend where seller_id = shop;
        insert into analytics_customer_spend (seller_id, days, customer_id, spent_kes, orders)
          select shop, w.days, f.customer_id, sum(f.total_kes), count(*)
          from analytics_spend_windows w
          join analytics_orders f on f.seller_id = shop and f.placed_at >= ${AT('w.start_day')}
          where w.seller_id = shop and f.paid and not f.cancelled
          group by 2, 3;
      end
      $fn$;

      -- One paid fact in or out (n = 1 or -1) of its customer's rows in each of the shop's windows it falls in. A shop
      -- without windows (its first paid order) is rebuilt from its facts instead, this one included: returns true.
      create function analytics_customer_spend_add(shop text, customer text, placed timestamptz, amount bigint,
        n integer) returns boolean language plpgsql as $fn$
      begin
        if not exists (select 1 from analytics_spend_windows where seller_id = shop) then
          perform analytics_customer_spend_rebuild(shop);
          return true;
        end if;
        -- Shared with the shop's other payments, exclusive against its roll: a window never moves under a change.
        perform pg_advisory_xact_lock_shared(${LOCK('shop')});
        if n > 0 then
          insert into analytics_customer_spend as s (seller_id, days, customer_id, spent_kes, orders)
            select shop, w.days, customer, amount, n from analytics_spend_windows w
            where w.seller_id = shop and (placed at time zone '${TZ}')::date >= w.start_day
            order by w.days
            on conflict (seller_id, days, customer_id) do update
              set spent_kes = s.spent_kes + excluded.spent_kes, orders = s.orders + excluded.orders;
        else
          delete from analytics_customer_spend s using analytics_spend_windows w
            where s.seller_id = shop and w.seller_id = shop and s.days = w.days and s.customer_id = customer
              and (placed at time zone '${TZ}')::date >= w.start_day and s.orders + n = 0;
          update analytics_customer_spend s set spent_kes = s.spent_kes + amount, orders = s.orders + n
            from analytics_spend_windows w
            where s.seller_id = shop and w.seller_id = shop and s.days = w.days and s.customer_id = customer
              and (placed at time zone '${TZ}')::date >= w.start_day;
        end if;
        return false;
      end
      $fn$;

      -- Kept by the database in the statement that changes the fact, like the customers histogram: an order's payment
      -- or the cancellation of a paid order moves its customer's rows. Orders are placed unpaid: placing one writes
      -- nothing here.
      create function analytics_customer_spend_track() returns trigger language plpgsql as $fn$
      declare
        rebuilt boolean := false;
      begin
        if tg_op <> 'INSERT' and old.paid and not old.cancelled then
          rebuilt := analytics_customer_spend_add(old.seller_id, old.customer_id, old.placed_at, -old.total_kes, -1);
        end if;
        -- A rebuild of the same shop already counted the new row.
        if tg_op <> 'DELETE' and new.paid and not new.cancelled
           and not (rebuilt and tg_op = 'UPDATE' and old.seller_id = new.seller_id) then
          perform analytics_customer_spend_add(new.seller_id, new.customer_id, new.placed_at, new.total_kes, 1);
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
      -- Every shop's windows from the facts there are, now that no writer of the facts can run beside this.
      select analytics_customer_spend_rebuild(null);

      -- Moves one shop's windows to end on \`today\` (Nairobi), taking out the days that left; never backwards; a
      -- no-op, without the lock, when they are current. Returns how many windows moved. Called shop by shop, each in
      -- its own transaction, so a shop's payments wait at most for its own roll.
      create function analytics_customer_spend_roll(shop text, today date default (now() at time zone '${TZ}')::date)
        returns integer language plpgsql as $fn$
      declare
        w record;
        new_start date;
        moved integer := 0;
        emptied text[];
      begin
        if not exists (select 1 from analytics_spend_windows
                       where seller_id = shop and start_day < today - (days - 1)) then
          return 0;
        end if;
        perform pg_advisory_xact_lock(${LOCK('shop')});
        for w in select days, start_day from analytics_spend_windows where seller_id = shop order by days for update loop
          new_start := today - (w.days - 1);
          continue when new_start <= w.start_day;
          moved := moved + 1;
          update analytics_spend_windows set start_day = new_start where seller_id = shop and days = w.days;
          if new_start - w.start_day >= w.days then
            delete from analytics_customer_spend where seller_id = shop and days = w.days;
            insert into analytics_customer_spend (seller_id, days, customer_id, spent_kes, orders)
              select shop, w.days, f.customer_id, sum(f.total_kes), count(*) from analytics_orders f
              where f.seller_id = shop and f.placed_at >= ${AT('new_start')} and f.paid and not f.cancelled
              group by 3;
            continue;
          end if;
          -- Through the primary key row by row (an upsert always is): a join would scan the whole window to meet a
          -- day's customers. Rows left at no orders go after.
          with leaving as (
            select f.customer_id, sum(f.total_kes) as spent, count(*) as n from analytics_orders f
            where f.seller_id = shop and f.placed_at >= ${AT('w.start_day')} and f.placed_at < ${AT('new_start')}
              and f.paid and not f.cancelled
            group by 1
          ), changed as (
            insert into analytics_customer_spend as s (seller_id, days, customer_id, spent_kes, orders)
              select shop, w.days, x.customer_id, -x.spent, -x.n from leaving x
              on conflict (seller_id, days, customer_id) do update
                set spent_kes = s.spent_kes + excluded.spent_kes, orders = s.orders + excluded.orders
              returning s.customer_id, s.orders
          )
          select coalesce(array_agg(customer_id) filter (where orders = 0), '{}') into emptied from changed;
          delete from analytics_customer_spend
            where seller_id = shop and days = w.days and customer_id = any(emptied) and orders = 0;
        end loop;
        return moved;
      end
      $fn$;
    `);
  }

  override down(): void {
    this.addSql(`
      drop function analytics_customer_spend_roll(text, date);
      drop trigger analytics_customer_spend_update on analytics_orders;
      drop trigger analytics_customer_spend_delete on analytics_orders;
      drop trigger analytics_customer_spend_insert on analytics_orders;
      drop function analytics_customer_spend_track();
      drop function analytics_customer_spend_add(text, text, timestamptz, bigint, integer);
      drop function analytics_customer_spend_rebuild(text);
      drop table analytics_customer_spend;
      drop table analytics_spend_windows;
    `);
  }
}
