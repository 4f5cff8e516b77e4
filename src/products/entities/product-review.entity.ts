import { defineEntity, p } from '@mikro-orm/core';

const ProductReviewSchema = defineEntity({
  name: 'ProductReview',
  tableName: 'product_reviews',
  properties: {
    id: p.string().primary(),
    productId: p.string(),
    sellerId: p.string(),
    customerName: p.string(),
    rating: p.integer(),
    comment: p.text().nullable(),
    isVisible: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class ProductReview extends ProductReviewSchema.class {}
ProductReviewSchema.setClass(ProductReview);
export { ProductReviewSchema };
