import type { EventName } from '../events/event-catalogue.js';

/** The 11 partner webhook types, as the partner reference spells them. */
export const PARTNER_TYPES = [
  'NEW_CONSUMER_ORDER',
  'NEW_CONSUMER_SIGNUP',
  'UPDATE_CONSUMER_ORDER',
  'UPDATE_CONSUMER_USER',
  'NEW_MEMBER',
  'UPDATE_MEMBER',
  'CREATE_TRANSACTION',
  'UPDATE_TRANSACTION',
  'CANCEL_TRANSACTION',
  'COMPLETE_TRANSACTION',
  'UPDATE_PRODUCT',
] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

/**
 * DESIGN.md's table: our domain events -> the partner type they are delivered as. Unlisted events are not sent to
 * partners.
 */
const MAP: Partial<Record<EventName, PartnerType>> = {
  ORDER_CREATED: 'NEW_CONSUMER_ORDER',
  ORDER_PAID: 'UPDATE_CONSUMER_ORDER',
  ORDER_CONFIRMED: 'UPDATE_CONSUMER_ORDER',
  ORDER_DISPATCHED: 'UPDATE_CONSUMER_ORDER',
  ORDER_DELIVERED: 'UPDATE_CONSUMER_ORDER',
  ORDER_CANCELLED: 'UPDATE_CONSUMER_ORDER',
  CUSTOMER_CREATED: 'NEW_CONSUMER_SIGNUP',
  CUSTOMER_UPDATED: 'UPDATE_CONSUMER_USER',
  STAFF_ADDED: 'NEW_MEMBER',
  STAFF_UPDATED: 'UPDATE_MEMBER',
  PAYMENT_REQUESTED: 'CREATE_TRANSACTION',
  PAYMENT_RECEIVED: 'COMPLETE_TRANSACTION',
  PAYMENT_FAILED: 'CANCEL_TRANSACTION',
  PAYMENT_UPDATED: 'UPDATE_TRANSACTION',
  PRODUCT_CREATED: 'UPDATE_PRODUCT',
  PRODUCT_UPDATED: 'UPDATE_PRODUCT',
  PRODUCT_DELETED: 'UPDATE_PRODUCT',
  STOCK_CHANGED: 'UPDATE_PRODUCT',
};

export function partnerTypeOf(event: EventName): PartnerType | undefined {
  return MAP[event];
}

/** The shop events delivered as `type` (every type has at least one; they share one `data` schema). */
export function eventsOfPartnerType(type: PartnerType): [EventName, ...EventName[]] {
  const events = (Object.keys(MAP) as EventName[]).filter((e) => MAP[e] === type);
  if (!events.length) throw new Error(`partner type ${type} has no event`);
  return events as [EventName, ...EventName[]];
}
