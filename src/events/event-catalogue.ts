import type {
  CustomerEventData,
  EventDataOf,
  EventDataSchemaName,
  LowStockEventData,
  OrderEventData,
  PaymentEventData,
  ProductEventData,
  ReviewEventData,
  StaffEventData,
} from './event-schemas.js';

export type {
  CustomerEventData,
  LowStockEventData,
  OrderEventData,
  PaymentEventData,
  ProductEventData,
  ReviewEventData,
  StaffEventData,
};

/**
 * The typed catalogue of every domain event: name -> the `data` it carries (types derived from the JSON Schemas in
 * event-schemas.ts). The 13 seller webhook events are the reference's; the rest are internal (partners receive them
 * mapped).
 */
export interface EventPayloads {
  ORDER_CREATED: OrderEventData;
  ORDER_PAID: OrderEventData;
  ORDER_CONFIRMED: OrderEventData;
  ORDER_DISPATCHED: OrderEventData;
  ORDER_DELIVERED: OrderEventData;
  ORDER_CANCELLED: OrderEventData;
  PRODUCT_CREATED: ProductEventData;
  PRODUCT_UPDATED: ProductEventData;
  PRODUCT_DELETED: ProductEventData;
  CUSTOMER_CREATED: CustomerEventData;
  PAYMENT_RECEIVED: PaymentEventData;
  LOW_STOCK_ALERT: LowStockEventData;
  REVIEW_SUBMITTED: ReviewEventData;
  // Internal events: not offered to seller endpoints, mapped for partners.
  STAFF_ADDED: StaffEventData;
  STAFF_UPDATED: StaffEventData;
  CUSTOMER_UPDATED: CustomerEventData;
  PAYMENT_REQUESTED: PaymentEventData;
  PAYMENT_FAILED: PaymentEventData;
  PAYMENT_UPDATED: PaymentEventData;
  STOCK_CHANGED: ProductEventData;
}

export type EventName = keyof EventPayloads;

/** The 13 events a seller can subscribe an endpoint to, with the reference's descriptions. */
export const SELLER_EVENTS = {
  ORDER_CREATED: 'A new order has been placed on the storefront.',
  ORDER_PAID: 'M-Pesa payment confirmed for an order.',
  ORDER_CONFIRMED: 'Seller manually confirmed the order.',
  ORDER_DISPATCHED: 'Order has been dispatched for delivery.',
  ORDER_DELIVERED: 'Order marked as delivered.',
  ORDER_CANCELLED: 'Order was cancelled.',
  PRODUCT_CREATED: 'A new product was added to the catalogue.',
  PRODUCT_UPDATED: 'An existing product was edited.',
  PRODUCT_DELETED: 'A product was removed.',
  CUSTOMER_CREATED: 'A new customer record was created.',
  PAYMENT_RECEIVED: 'Any M-Pesa payment received (orders or subscriptions).',
  LOW_STOCK_ALERT: 'Product stock fell below the alert threshold.',
  REVIEW_SUBMITTED: 'A customer submitted a product review.',
} as const satisfies Partial<Record<EventName, string>>;

export type SellerEventName = keyof typeof SELLER_EVENTS;
export const SELLER_EVENT_NAMES = Object.keys(SELLER_EVENTS) as SellerEventName[];

export function isSellerEvent(name: string): name is SellerEventName {
  return Object.hasOwn(SELLER_EVENTS, name);
}

/** The schema names whose type is exactly the `data` of event N: the compiler checks the table below. */
type SchemaNameOf<N extends EventName> = {
  [K in EventDataSchemaName]: [EventDataOf<K>] extends [EventPayloads[N]]
    ? [EventPayloads[N]] extends [EventDataOf<K>]
      ? K
      : never
    : never;
}[EventDataSchemaName];

/** The name of each event's `data` schema in EVENT_DATA_SCHEMAS. */
export const EVENT_DATA_SCHEMA: { [N in EventName]: SchemaNameOf<N> } = {
  ORDER_CREATED: 'OrderEventData',
  ORDER_PAID: 'OrderEventData',
  ORDER_CONFIRMED: 'OrderEventData',
  ORDER_DISPATCHED: 'OrderEventData',
  ORDER_DELIVERED: 'OrderEventData',
  ORDER_CANCELLED: 'OrderEventData',
  PRODUCT_CREATED: 'ProductEventData',
  PRODUCT_UPDATED: 'ProductEventData',
  PRODUCT_DELETED: 'ProductEventData',
  CUSTOMER_CREATED: 'CustomerEventData',
  PAYMENT_RECEIVED: 'PaymentEventData',
  LOW_STOCK_ALERT: 'LowStockEventData',
  REVIEW_SUBMITTED: 'ReviewEventData',
  STAFF_ADDED: 'StaffEventData',
  STAFF_UPDATED: 'StaffEventData',
  CUSTOMER_UPDATED: 'CustomerEventData',
  PAYMENT_REQUESTED: 'PaymentEventData',
  PAYMENT_FAILED: 'PaymentEventData',
  PAYMENT_UPDATED: 'PaymentEventData',
  STOCK_CHANGED: 'ProductEventData',
};
