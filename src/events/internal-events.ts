import { OnEvent } from '@nestjs/event-emitter';

/**
 * Events between modules inside the process, never sent outside: typed like the public catalogue, kept apart from
 * it. Each is delivered twice: inside the transaction that made the change (listeners write their own tables with
 * `tx.em`, so their rows commit or roll back with it), and once more after the commit (for work outside it).
 */

/** One line of an order, as the modules that count sales need it. */
export interface OrderLineFact {
  productId: string;
  productName: string;
  quantity: number;
  subtotalKes: number;
}

export interface OrderPlacedEvent {
  sellerId: string;
  orderId: string;
  customerId: string;
  /** The order made the customer's record (their first order in this shop). */
  customerCreated: boolean;
  placedAt: Date;
  totalKes: number;
  paymentMethod: 'MPESA' | 'CASH_ON_DELIVERY';
  /** False when the phone has had STK_PROMPTS_PER_PHONE_PER_HOUR prompts already: no PIN prompt is sent. */
  stkPrompt: boolean;
  lines: OrderLineFact[];
}

export interface OrderStatusChangedEvent {
  sellerId: string;
  orderId: string;
  customerId: string;
  placedAt: Date;
  totalKes: number;
  from: string;
  to: string;
  /** Whether the order counted as paid (PAID, CONFIRMED, DISPATCHED, DELIVERED) before and after the change. */
  wasPaid: boolean;
  isPaid: boolean;
  lines: OrderLineFact[];
}

/** A use case is about to write to a shop and publish its events in this transaction, and will then take locks. */
export interface ShopWritingEvent {
  sellerId: string;
}

export interface InternalEvents {
  /**
   * Said before a use case takes the locks other writers of the shop wait on: listeners read now what they will need
   * for its events (the outbox: the shop's subscriptions), so that read is not made while those locks are held.
   */
  'shop.writing': ShopWritingEvent;
  'order.placed': OrderPlacedEvent;
  'order.status-changed': OrderStatusChangedEvent;
}

export type InternalEventName = keyof InternalEvents;

export const inTransactionChannel = (name: InternalEventName): string => `internal.${name}`;
export const committedChannel = (name: InternalEventName): string => `internal.${name}.committed`;

/**
 * How a listener that runs inside the transaction is registered: called at once by emitAsync, which awaits the
 * promise Nest's wrapper returns; its error rolls the change back. Not `promisify`: EventEmitter2 then starts the
 * listener after a `setImmediate`, which under load waited for a whole turn of the event loop (every other request's
 * I/O) at each publish — milliseconds per event while the transaction held its locks (a spread order's events took
 * 6 ms from its stock statement's answer to its last write). Its `nextTick` variant never calls the listener at all.
 */
export const IN_TRANSACTION = { suppressErrors: false } as const;

/** Handles `name` inside the transaction that made it; an error rolls the change back. */
export function OnInternalEvent(name: InternalEventName): MethodDecorator {
  return OnEvent(inTransactionChannel(name), IN_TRANSACTION);
}

/** Handles `name` once its transaction has committed (never when it rolled back). */
export function AfterCommit(name: InternalEventName): MethodDecorator {
  return OnEvent(committedChannel(name), { async: true, promisify: true });
}
