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
