import { defineEntity, p } from '@mikro-orm/core';

export const ORDER_STATUSES = ['PENDING', 'PAID', 'CONFIRMED', 'DISPATCHED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** The states in which an order counts as money received: revenue, customer spend, the daily roll-up. */
export const PAID_ORDER_STATUSES = [
  'PAID',
  'CONFIRMED',
  'DISPATCHED',
  'DELIVERED',
] as const satisfies readonly OrderStatus[];
export const DELIVERY_METHODS = ['DELIVERY', 'PICKUP'] as const;
export const PAYMENT_METHODS = ['MPESA', 'CASH_ON_DELIVERY'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

const OrderSchema = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.string().primary(),
    sellerId: p.string(),
    referenceCode: p.string(),
    customerId: p.string(),
    customerName: p.string(),
    customerPhone: p.string(),
    deliveryMethod: p.enum(DELIVERY_METHODS),
    deliveryAddress: p.text().nullable(),
    paymentMethod: p.enum(PAYMENT_METHODS),
    status: p.enum(ORDER_STATUSES),
    totalKes: p.integer(),
    itemCount: p.integer(),
    mpesaReceipt: p.string().nullable(),
    // Money received for this order so far (till payments may come in parts).
    amountPaidKes: p.integer().default(0),
    paidAt: p.datetime().nullable(),
    cancelReason: p.text().nullable(),
    idempotencyKey: p.string().nullable().hidden(),
    idempotencyHash: p.string().nullable().hidden(),
    stkPrompt: p.boolean().default(false),
    holdExpiresAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Order extends OrderSchema.class {}
OrderSchema.setClass(Order);
export { OrderSchema };
