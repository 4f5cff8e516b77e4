import type { Tx } from '../database/unit-of-work.js';
import { newId } from '../ids/ids.js';
import type { CreateVariantDto } from './dto/variant.dto.js';
import { ProductVariant } from './entities/product-variant.entity.js';
import type { Product } from './entities/product.entity.js';

/** A new variant of a product, in the caller's unit of work (added alone, or with the product at its creation). */
export function newVariant(tx: Tx, product: Product, dto: CreateVariantDto): ProductVariant {
  const stock = dto.stock ?? 0;
  return tx.em.create(ProductVariant, {
    id: newId('variant'),
    productId: product.id,
    sellerId: product.sellerId,
    name: dto.name,
    options: dto.options ?? {},
    sku: dto.sku ?? null,
    priceKes: dto.priceKes ?? null,
    stock,
    // As for a product: created low is not a crossing.
    lowStockAlerted: stock <= product.lowStockThreshold,
  });
}
