import { Injectable } from '@nestjs/common';
import type { InternalEnvelope, Tx } from '../database/unit-of-work.js';
import { OnInternalEvent, type OrderLineFact } from '../events/internal-events.js';
import { NAIROBI } from '../common/time.js';

/** `(?::timestamptz at time zone Nairobi)::date`: the Nairobi day of a timestamp parameter. */
const DAY = `((?::timestamptz at time zone '${NAIROBI}')::date)`;

/**
 * Analytics keeps its own facts from the internal order events, in each order's transaction: one row per order
 * (paid, cancelled, and whether it is the customer's first order not cancelled), the shop's daily roll-up, and paid
 * units and revenue per product and day. Reports then read only these tables.
 */
@Injectable()
export class OrderFactsListener {
  @OnInternalEvent('order.placed')
  placed({ payload: o, tx }: InternalEnvelope<'order.placed'>): void {
    // The caller holds the customer's row lock, so the customer's orders are linked one order at a time: the new one
    // between its neighbours in time (usually after the last), "first" when nothing is before it.
    tx.writeLater(
      `with prev as (
         select order_id, placed_at, first from analytics_orders
         where customer_id = ? and not cancelled and (placed_at, order_id) < (?::timestamptz, ?)
         order by placed_at desc, order_id desc limit 1
       ), nxt as (
         select order_id, placed_at, first from analytics_orders
         where customer_id = ? and not cancelled and (placed_at, order_id) > (?::timestamptz, ?)
         order by placed_at, order_id limit 1
       ), nxt2 as (
         select order_id from analytics_orders
         where customer_id = ? and not cancelled
           and (placed_at, order_id) > ((select placed_at from nxt), (select order_id from nxt))
         order by placed_at, order_id limit 1
       ), fact as (
         insert into analytics_orders (order_id, seller_id, customer_id, placed_at, total_kes, paid, cancelled, first,
           prev_first, prev_at, next_at)
         values (?, ?, ?, ?, ?, false, false, not exists (select 1 from prev),
                 coalesce((select first from prev), false), (select placed_at from prev), (select placed_at from nxt))
       ), before as (
         update analytics_orders set next_at = ? where order_id = (select order_id from prev)
       ), after as (
         update analytics_orders set prev_at = ?, first = false, prev_first = not exists (select 1 from prev)
         where order_id = (select order_id from nxt)
       ), after2 as (
         -- An order placed before the customer's first: the old first's successor no longer follows a first order.
         update analytics_orders set prev_first = false
         where order_id = (select order_id from nxt2) and (select first from nxt)
       )
       insert into seller_daily_stats (seller_id, day, orders, paid_orders, revenue_kes, new_customers)
       values (?, ${DAY}, 1, 0, 0, ?)
       on conflict (seller_id, day) do update set
         orders = seller_daily_stats.orders + 1,
         new_customers = seller_daily_stats.new_customers + excluded.new_customers`,
      [
        o.customerId,
        o.placedAt,
        o.orderId,
        o.customerId,
        o.placedAt,
        o.orderId,
        o.customerId,
        o.orderId,
        o.sellerId,
        o.customerId,
        o.placedAt,
        o.totalKes,
        o.placedAt,
        o.placedAt,
        o.sellerId,
        o.placedAt,
        o.customerCreated ? 1 : 0,
      ],
    );
  }

  @OnInternalEvent('order.status-changed')
  statusChanged({ payload: o, tx }: InternalEnvelope<'order.status-changed'>): void {
    if (o.wasPaid !== o.isPaid) this.countPaid(tx, o.sellerId, o.placedAt, o.isPaid ? 1 : -1, o.totalKes, o.lines);
    if (o.to !== 'CANCELLED') {
      if (o.wasPaid !== o.isPaid)
        tx.writeLater('update analytics_orders set paid = ? where order_id = ?', [o.isPaid, o.orderId]);
      return;
    }
    // A cancelled order leaves its customer's chain: its neighbours are linked to each other, and a cancelled first
    // order hands "first" on to the next one. The customer's facts are locked first (cancellations of one customer's
    // orders take turns).
    tx.writeLater(
      `with mine as (
         select order_id, placed_at, first from analytics_orders where customer_id = ? for update
       ), me as (
         select placed_at, first from mine where order_id = ?
       ), prev as (
         select order_id, placed_at, first from analytics_orders
         where customer_id = ? and not cancelled and order_id <> ?
           and (placed_at, order_id) < ((select placed_at from me), ?)
         order by placed_at desc, order_id desc limit 1
       ), nxt as (
         select order_id, placed_at from analytics_orders
         where customer_id = ? and not cancelled and order_id <> ?
           and (placed_at, order_id) > ((select placed_at from me), ?)
         order by placed_at, order_id limit 1
       ), nxt2 as (
         select order_id from analytics_orders
         where customer_id = ? and not cancelled and order_id <> ?
           and (placed_at, order_id) > ((select placed_at from nxt), (select order_id from nxt))
         order by placed_at, order_id limit 1
       ), gone as (
         update analytics_orders
         set cancelled = true, paid = false, first = false, prev_first = false, prev_at = null, next_at = null
         where order_id = ?
       ), before as (
         update analytics_orders set next_at = (select placed_at from nxt) where order_id = (select order_id from prev)
       ), after2 as (
         -- A cancelled first order makes the next one first, so the one after that now follows a first order.
         update analytics_orders set prev_first = true
         where order_id = (select order_id from nxt2) and (select first from me)
       )
       update analytics_orders
       set prev_at = (select placed_at from prev), first = (select first from me),
           prev_first = coalesce((select first from prev), false)
       where order_id = (select order_id from nxt)`,
      [
        o.customerId,
        o.orderId,
        o.customerId,
        o.orderId,
        o.orderId,
        o.customerId,
        o.orderId,
        o.orderId,
        o.customerId,
        o.orderId,
        o.orderId,
      ],
    );
  }

  private countPaid(
    tx: Tx,
    sellerId: string,
    placedAt: Date,
    sign: 1 | -1,
    totalKes: number,
    lines: OrderLineFact[],
  ): void {
    tx.writeLater(
      `insert into seller_daily_stats (seller_id, day, orders, paid_orders, revenue_kes, new_customers)
       values (?, ${DAY}, 0, ?, ?, 0)
       on conflict (seller_id, day) do update set
         paid_orders = seller_daily_stats.paid_orders + excluded.paid_orders,
         revenue_kes = seller_daily_stats.revenue_kes + excluded.revenue_kes`,
      [sellerId, placedAt, sign, sign * totalKes],
    );
    if (!lines.length) return;
    // Lines are summed per product first: one order can hold several variants of one product.
    tx.writeLater(
      `insert into analytics_product_sales (seller_id, day, product_id, name, units, revenue_kes)
       select ?, ${DAY}, x.product_id, (array_agg(x.name))[1], sum(x.units) * ?, sum(x.revenue) * ?
       from json_to_recordset(?::json) as x(product_id text, name text, units int, revenue bigint)
       group by x.product_id
       on conflict (seller_id, day, product_id) do update set
         units = analytics_product_sales.units + excluded.units,
         revenue_kes = analytics_product_sales.revenue_kes + excluded.revenue_kes,
         name = case when excluded.units > 0 then excluded.name else analytics_product_sales.name end`,
      [
        sellerId,
        placedAt,
        sign,
        sign,
        JSON.stringify(
          lines.map((l) => ({
            product_id: l.productId,
            name: l.productName,
            units: l.quantity,
            revenue: l.subtotalKes,
          })),
        ),
      ],
    );
  }
}
