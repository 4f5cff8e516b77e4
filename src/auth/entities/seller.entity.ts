import { defineEntity, p } from '@mikro-orm/core';

/** A shop. Everything a shop owns carries its id (`sel_...`). */
const SellerSchema = defineEntity({
  name: 'Seller',
  tableName: 'sellers',
  properties: {
    id: p.string().primary(),
    storeName: p.string(),
    storeSlug: p.string().unique(),
    phone: p.string(),
    /** Hours an unconfirmed cash-on-delivery order holds stock; null: COD_HOLD_HOURS. */
    codHoldHours: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Seller extends SellerSchema.class {}
SellerSchema.setClass(Seller);
export { SellerSchema };
