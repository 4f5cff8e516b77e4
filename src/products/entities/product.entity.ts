import { defineEntity, p } from '@mikro-orm/core';

export interface ProductImage {
  id: string;
  url: string;
  contentType: string;
  size: number;
}

const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p.string().primary(),
    sellerId: p.string(),
    name: p.string(),
    description: p.text().nullable(),
    priceKes: p.integer(),
    compareAtPriceKes: p.integer().nullable(),
    sku: p.string().nullable(),
    category: p.string().nullable(),
    stock: p.integer(),
    lowStockThreshold: p.integer(),
    lowStockAlerted: p.boolean().default(false),
    isActive: p.boolean(),
    images: p.json<ProductImage[]>(),
    deletedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class Product extends ProductSchema.class {}
ProductSchema.setClass(Product);
export { ProductSchema };
