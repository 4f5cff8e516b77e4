import type { OrderStatus, PaymentMethod } from './entities/order.entity.js';

export const ORDER_ACTIONS = ['pay', 'confirm', 'dispatch', 'deliver', 'cancel', 'reopen'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

interface Transition {
  from: OrderStatus[];
  to: OrderStatus;
  /** Extra condition on the move, with the reason it fails. */
  when?: (ctx: { from: OrderStatus; paymentMethod: PaymentMethod; cancelReason?: string | null }) => string | undefined;
}

/** The order lifecycle as a table: PENDING → PAID → CONFIRMED → DISPATCHED → DELIVERED, or CANCELLED on the way. */
export const TRANSITIONS: Record<OrderAction, Transition> = {
  pay: { from: ['PENDING'], to: 'PAID' },
  confirm: {
    from: ['PENDING', 'PAID'],
    to: 'CONFIRMED',
    when: ({ from, paymentMethod }) =>
      from === 'PENDING' && paymentMethod !== 'CASH_ON_DELIVERY'
        ? 'an M-Pesa order is confirmed once it is PAID'
        : undefined,
  },
  dispatch: { from: ['CONFIRMED'], to: 'DISPATCHED' },
  deliver: { from: ['DISPATCHED'], to: 'DELIVERED' },
  cancel: { from: ['PENDING', 'PAID', 'CONFIRMED'], to: 'CANCELLED' },
  // Only the payment timeout's cancellation is undone, by the payment that was in flight (a till payment).
  reopen: {
    from: ['CANCELLED'],
    to: 'PENDING',
    when: ({ cancelReason }) =>
      cancelReason === PAYMENT_TIMEOUT ? undefined : 'only an order cancelled by the payment timeout reopens',
  },
};

/** The cancel reason the payment timeout writes; a late till payment may reopen such an order. */
export const PAYMENT_TIMEOUT = 'payment timeout';

export type MoveResult = { ok: true; to: OrderStatus } | { ok: false; reason: string };

/** Where `action` takes an order in state `from`, or why it cannot. */
export function move(
  from: OrderStatus,
  action: OrderAction,
  paymentMethod: PaymentMethod,
  cancelReason?: string | null,
): MoveResult {
  const t = TRANSITIONS[action];
  if (!t.from.includes(from)) return { ok: false, reason: `Cannot ${action} an order that is ${from}` };
  const blocked = t.when?.({ from, paymentMethod, cancelReason });
  if (blocked) return { ok: false, reason: `Cannot ${action} an order that is ${from}: ${blocked}` };
  return { ok: true, to: t.to };
}
