/**
 * The typed catalogue of every domain event: name -> the `data` it carries.
 * The 13 seller webhook events are the reference's; the rest are internal (partners receive them mapped).
 */

/** ORDER_* payloads, exactly the reference's shape. `itemCount` is the number of units. */
export interface OrderEventData {
  orderId: string;
  referenceCode: string;
  status: string;
  totalKes: number;
  customerName: string;
  customerPhone: string;
  itemCount: number;
}

export interface ProductEventData {
  productId: string;
  name: string;
  sku: string | null;
  priceKes: number;
  stock: number;
  isActive: boolean;
  category: string | null;
}

export interface LowStockEventData {
  productId: string;
  variantId: string | null;
  name: string;
  sku: string | null;
  stock: number;
  lowStockThreshold: number;
}

export interface CustomerEventData {
  customerId: string;
  name: string;
  phone: string;
  email: string | null;
}

export interface PaymentEventData {
  paymentId: string;
  orderId: string | null;
  referenceCode: string | null;
  amountKes: number;
  mpesaReceipt: string | null;
  phone: string | null;
  status: string;
}

export interface ReviewEventData {
  reviewId: string;
  productId: string;
  customerName: string;
  rating: number;
  comment: string | null;
}

export interface StaffEventData {
  userId: string;
  email: string;
  name: string | null;
  role: string;
}

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
