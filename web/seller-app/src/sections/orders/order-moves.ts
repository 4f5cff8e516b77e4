import type { Order, OrderStatus } from '../../api-types';

/** The seller's moves on an order, as the API's state table allows them (the API still decides). */
export type Move = 'confirm' | 'dispatch' | 'deliver' | 'cancel';

const FROM: Record<Move, OrderStatus[]> = {
  confirm: ['PENDING', 'PAID'],
  dispatch: ['CONFIRMED'],
  deliver: ['DISPATCHED'],
  cancel: ['PENDING', 'PAID', 'CONFIRMED'],
};

/** The moves offered for `order`: an M-Pesa order is confirmed once it is paid; cash on delivery at once. */
export function movesFor(order: Pick<Order, 'status' | 'paymentMethod'>): Move[] {
  return (Object.keys(FROM) as Move[]).filter(
    (m) =>
      FROM[m].includes(order.status) &&
      !(m === 'confirm' && order.status === 'PENDING' && order.paymentMethod !== 'CASH_ON_DELIVERY'),
  );
}

/** The badge tone of each status. */
export const STATUS_TONE: Record<OrderStatus, 'good' | 'bad' | 'warn' | 'muted'> = {
  PENDING: 'warn',
  PAID: 'good',
  CONFIRMED: 'good',
  DISPATCHED: 'good',
  DELIVERED: 'muted',
  CANCELLED: 'bad',
};
