import { ProductSchema } from './product.entity.js';
import { ProductVariantSchema } from './product-variant.entity.js';
import { ProductReviewSchema } from './product-review.entity.js';

/** This module's tables, registered by its own module (MikroOrmModule.forFeature). */
export const PRODUCTS_ENTITIES = [ProductSchema, ProductVariantSchema, ProductReviewSchema];
