import { defineEntity, p } from '@mikro-orm/core';

/** A shop's customer, found by normalised phone within the shop. */
const CustomerSchema = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  properties: {
    id: p.string().primary(),
    sellerId: p.string(),
    name: p.string(),
    phone: p.string(),
    email: p.string().nullable(),
    notes: p.text().nullable(),
    tags: p.array(),
    /** Kept from the internal order events, in each order's transaction (CustomerStatsListener). */
    orderCount: p.integer().default(0),
    paidOrderCount: p.integer().default(0),
    spentKes: p.bigint('number').default(0),
    firstOrderedAt: p.datetime().nullable(),
    lastOrderedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Customer extends CustomerSchema.class {}
CustomerSchema.setClass(Customer);
export { CustomerSchema };
