import { defineEntity, p } from '@mikro-orm/core';

/** A line as sold: names and price copied at the time of the order, whatever happens to the product later. */
const OrderItemSchema = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    id: p.string().primary(),
    orderId: p.string(),
    sellerId: p.string(),
    productId: p.string(),
    variantId: p.string().nullable(),
    productName: p.string(),
    variantName: p.string().nullable(),
    quantity: p.integer(),
    unitPriceKes: p.integer(),
    subtotalKes: p.integer(),
  },
});

export class OrderItem extends OrderItemSchema.class {}
OrderItemSchema.setClass(OrderItem);
export { OrderItemSchema };
