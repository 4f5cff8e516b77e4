import { Injectable } from '@nestjs/common';
import type { InternalEnvelope } from '../database/unit-of-work.js';
import { OnInternalEvent } from '../events/internal-events.js';

/**
 * Customers keep their own order counts and spend from the internal order events, in each order's transaction, so
 * the customer list sorts and shows them from one table.
 */
@Injectable()
export class CustomerStatsListener {
  @OnInternalEvent('order.placed')
  placed({ payload: o, tx }: InternalEnvelope<'order.placed'>): void {
    tx.writeLater(
      `update customers set order_count = order_count + 1, first_ordered_at = coalesce(first_ordered_at, ?),
              last_ordered_at = greatest(last_ordered_at, ?)
       where id = ?`,
      [o.placedAt, o.placedAt, o.customerId],
    );
  }

  @OnInternalEvent('order.status-changed')
  statusChanged({ payload: o, tx }: InternalEnvelope<'order.status-changed'>): void {
    if (o.wasPaid === o.isPaid) return;
    const sign = o.isPaid ? 1 : -1;
    tx.writeLater(
      'update customers set paid_order_count = paid_order_count + ?, spent_kes = spent_kes + ? where id = ?',
      [sign, sign * o.totalKes, o.customerId],
    );
  }
}
