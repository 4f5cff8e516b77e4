import { defineEntity, p } from '@mikro-orm/core';

const OrderTimelineSchema = defineEntity({
  name: 'OrderTimelineEntry',
  tableName: 'order_timeline',
  properties: {
    id: p.string().primary(),
    orderId: p.string(),
    status: p.string(),
    at: p.datetime().onCreate(() => new Date()),
    /** A user id, or `customer`, `mpesa`, `system`. */
    actor: p.string(),
    note: p.text().nullable(),
  },
});

export class OrderTimelineEntry extends OrderTimelineSchema.class {}
OrderTimelineSchema.setClass(OrderTimelineEntry);
export { OrderTimelineSchema };
