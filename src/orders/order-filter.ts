import { type FilterQuery, raw } from '@mikro-orm/core';
import { ilikePattern } from '../common/ilike.js';
import { phoneSearchText } from '../common/phone.js';
import { DayEnd } from '../common/dto/transforms.js';
import type { OrderExportQuery } from './dto/order.dto.js';
import type { Order } from './entities/order.entity.js';

/**
 * amountDueKes above 0 as a filter (order-state's amountDue): PENDING, or cash on delivery on its way and unpaid. A
 * function: a raw fragment used as a key is good for one query.
 */
const awaitingPayment = (): FilterQuery<Order> => ({
  $or: [
    { status: 'PENDING' },
    {
      paymentMethod: 'CASH_ON_DELIVERY',
      status: { $in: ['CONFIRMED', 'DISPATCHED'] },
      [raw((alias: string) => `${alias}.amount_paid_kes < ${alias}.total_kes`)]: [],
    },
  ],
});

/** The seller's order filters (the list's and the export's): status, from/to, q, awaitingPayment. */
export function orderWhere(sellerId: string, query: OrderExportQuery, customerId?: string): FilterQuery<Order> {
  const like = query.q ? ilikePattern(query.q) : undefined;
  const phoneLike = query.q ? ilikePattern(phoneSearchText(query.q)) : undefined;
  return {
    sellerId,
    ...(customerId ? { customerId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.from || query.to
      ? {
          createdAt: {
            ...(query.from ? { $gte: query.from } : {}),
            ...(query.to ? (query.to instanceof DayEnd ? { $lt: query.to } : { $lte: query.to }) : {}),
          },
        }
      : {}),
    $and: [
      like
        ? {
            $or: [
              { referenceCode: { $ilike: like } },
              { customerName: { $ilike: like } },
              { customerPhone: { $ilike: phoneLike } },
            ],
          }
        : {},
      query.awaitingPayment === undefined
        ? {}
        : query.awaitingPayment
          ? awaitingPayment()
          : { $not: awaitingPayment() },
    ],
  };
}
