import type { OrderStatus, PaymentMethod } from './entities/order.entity.js';

/** The order's states and methods, for other modules' documents (the entity stays the orders module's). */
export { DELIVERY_METHODS, ORDER_STATUSES, PAYMENT_METHODS } from './entities/order.entity.js';

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

/** A cash-on-delivery order on its way to the buyer, who pays at the door (in cash or by M-Pesa to the till). */
export const COLLECTING_STATUSES = ['CONFIRMED', 'DISPATCHED', 'DELIVERED'] as const satisfies readonly OrderStatus[];

/** Whether a till payment may still be counted toward this order: PENDING, or cash on delivery on its way. */
export function takesPayment(o: { status: OrderStatus | string; paymentMethod: PaymentMethod | string }): boolean {
  return o.status === 'PENDING' || (o.paymentMethod === 'CASH_ON_DELIVERY' && collecting(o.status));
}

function collecting(status: string): boolean {
  return (COLLECTING_STATUSES as readonly string[]).includes(status);
}

/**
 * What is still to pay. A delivered cash-on-delivery order counts as paid (the rider took cash, which no system
 * records), so its amount due reads 0 even though an M-Pesa payment at the door may still be counted toward it.
 */
export function amountDue(o: {
  status: OrderStatus | string;
  paymentMethod: PaymentMethod | string;
  totalKes: number;
  amountPaidKes: number;
}): number {
  return takesPayment(o) && o.status !== 'DELIVERED' ? Math.max(0, o.totalKes - o.amountPaidKes) : 0;
}
