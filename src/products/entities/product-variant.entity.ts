import { defineEntity, p } from '@mikro-orm/core';

const ProductVariantSchema = defineEntity({
  name: 'ProductVariant',
  tableName: 'product_variants',
  properties: {
    id: p.string().primary(),
    productId: p.string(),
    sellerId: p.string(),
    name: p.string(),
    options: p.json<Record<string, string>>(),
    sku: p.string().nullable(),
    /** Null: sold at the product's price. */
    priceKes: p.integer().nullable(),
    stock: p.integer(),
    lowStockAlerted: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class ProductVariant extends ProductVariantSchema.class {}
ProductVariantSchema.setClass(ProductVariant);
export { ProductVariantSchema };
