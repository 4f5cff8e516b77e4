import { ApiProperty } from '@nestjs/swagger';

/**
 * The typed catalogue of every domain event: name -> the `data` it carries.
 * The 13 seller webhook events are the reference's; the rest are internal (partners receive them mapped).
 */

/** ORDER_* payloads, exactly the reference's shape. `itemCount` is the number of units. Classes, so Swagger shows them. */
export class OrderEventData {
  @ApiProperty() orderId: string;
  @ApiProperty() referenceCode: string;
  @ApiProperty() status: string;
  @ApiProperty() totalKes: number;
  @ApiProperty() customerName: string;
  @ApiProperty() customerPhone: string;
  @ApiProperty() itemCount: number;
}

export class ProductEventData {
  @ApiProperty() productId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) sku: string | null;
  @ApiProperty() priceKes: number;
  @ApiProperty() stock: number;
  @ApiProperty() isActive: boolean;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
}

export class LowStockEventData {
  @ApiProperty() productId: string;
  @ApiProperty({ nullable: true, type: String }) variantId: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) sku: string | null;
  @ApiProperty() stock: number;
  @ApiProperty() lowStockThreshold: number;
}

export class CustomerEventData {
  @ApiProperty() customerId: string;
  @ApiProperty() name: string;
  @ApiProperty() phone: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
}

export class PaymentEventData {
  @ApiProperty() paymentId: string;
  @ApiProperty({ nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ nullable: true, type: String }) referenceCode: string | null;
  @ApiProperty() amountKes: number;
  @ApiProperty({ nullable: true, type: String }) mpesaReceipt: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() status: string;
}

export class ReviewEventData {
  @ApiProperty() reviewId: string;
  @ApiProperty() productId: string;
  @ApiProperty() customerName: string;
  @ApiProperty() rating: number;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
}

export class StaffEventData {
  @ApiProperty() userId: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() role: string;
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

/** Every `data` type, for Swagger's schema list. */
export const EVENT_DATA_MODELS = [OrderEventData, ProductEventData, LowStockEventData, CustomerEventData, PaymentEventData, ReviewEventData, StaffEventData];

/** The `data` type each seller event carries (shown by GET /api/webhooks/events and in Swagger). */
export const SELLER_EVENT_DATA: Record<SellerEventName, (typeof EVENT_DATA_MODELS)[number]> = {
  ORDER_CREATED: OrderEventData,
  ORDER_PAID: OrderEventData,
  ORDER_CONFIRMED: OrderEventData,
  ORDER_DISPATCHED: OrderEventData,
  ORDER_DELIVERED: OrderEventData,
  ORDER_CANCELLED: OrderEventData,
  PRODUCT_CREATED: ProductEventData,
  PRODUCT_UPDATED: ProductEventData,
  PRODUCT_DELETED: ProductEventData,
  CUSTOMER_CREATED: CustomerEventData,
  PAYMENT_RECEIVED: PaymentEventData,
  LOW_STOCK_ALERT: LowStockEventData,
  REVIEW_SUBMITTED: ReviewEventData,
};
