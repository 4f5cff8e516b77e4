import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PAID_STATUSES } from '../customers/customers.service.js';
import type { Tx } from '../database/unit-of-work.js';

export interface StatsDelta {
  orders?: number;
  paidOrders?: number;
  revenueKes?: number;
  newCustomers?: number;
}

const TZ = 'Africa/Nairobi';

/**
 * The daily roll-up behind the overview and the revenue series: one row per shop and Nairobi day, changed in the
 * transaction of the order (or customer) it counts, attributed to the day the order was placed.
 */
@Injectable()
export class DailyStats {
  async add(tx: Tx, sellerId: string, at: Date, d: StatsDelta): Promise<void> {
    await tx.em.execute(
      `insert into seller_daily_stats (seller_id, day, orders, paid_orders, revenue_kes, new_customers)
       values (?, (?::timestamptz at time zone '${TZ}')::date, ?, ?, ?, ?)
       on conflict (seller_id, day) do update set
         orders = seller_daily_stats.orders + excluded.orders,
         paid_orders = seller_daily_stats.paid_orders + excluded.paid_orders,
         revenue_kes = seller_daily_stats.revenue_kes + excluded.revenue_kes,
         new_customers = seller_daily_stats.new_customers + excluded.new_customers`,
      [sellerId, at, d.orders ?? 0, d.paidOrders ?? 0, d.revenueKes ?? 0, d.newCustomers ?? 0],
    );
  }

  /** A customer placed an order: it is their first (not cancelled) one unless they already have one. */
  async customerOrdered(tx: Tx, customerId: string, at: Date): Promise<void> {
    await tx.em.execute('update customers set first_order_at = coalesce(first_order_at, ?) where id = ?', [
      at,
      customerId,
    ]);
  }

  /** An order is being cancelled (its row not yet flushed): the customer's first order may now be a later one, or none. */
  async orderCancelled(tx: Tx, customerId: string, orderId: string): Promise<void> {
    await tx.em.execute(
      `update customers set first_order_at =
         (select min(created_at) from orders where customer_id = ? and status <> 'CANCELLED' and id <> ?)
       where id = ?`,
      [customerId, orderId, customerId],
    );
  }

  /** Recomputes a shop's roll-up (and its customers' first orders) from the orders and customers themselves (after bulk SQL loads; and to check it). */
  async rebuild(em: EntityManager, sellerId: string): Promise<void> {
    await em.execute('delete from seller_daily_stats where seller_id = ?', [sellerId]);
    await em.execute(
      `insert into seller_daily_stats (seller_id, day, orders, paid_orders, revenue_kes, new_customers)
       select ?, day, sum(orders), sum(paid), sum(revenue), sum(new_customers) from (
         select (created_at at time zone '${TZ}')::date as day, count(*) as orders,
                count(*) filter (where status in ${PAID_STATUSES}) as paid,
                coalesce(sum(total_kes) filter (where status in ${PAID_STATUSES}), 0) as revenue, 0 as new_customers
         from orders where seller_id = ? group by 1
         union all
         select (created_at at time zone '${TZ}')::date, 0, 0, 0, count(*) from customers where seller_id = ? group by 1
       ) x group by day`,
      [sellerId, sellerId, sellerId],
    );
    await em.execute(
      `update customers c set first_order_at =
         (select min(created_at) from orders o where o.customer_id = c.id and o.status <> 'CANCELLED')
       where c.seller_id = ?`,
      [sellerId],
    );
  }
}
