import { ilikePattern } from '../common/ilike.js';
import type { ProductQuery } from './dto/product.dto.js';
import type { ProductVariant } from './entities/product-variant.entity.js';
import type { Product } from './entities/product.entity.js';

export const ORDER_BY: Record<ProductQuery['sort'], string> = {
  newest: 'p.created_at desc, p.id desc',
  oldest: 'p.created_at asc, p.id asc',
  price: 'p.price_kes asc, p.id asc',
  '-price': 'p.price_kes desc, p.id desc',
  name: 'lower(p.name) asc, p.id asc',
};

// Stock of a product as sold: its own, or the sum of its variants'.
const STOCK = `coalesce((select sum(v.stock) from product_variants v where v.product_id = p.id), p.stock)`;
const LOW = `(case when exists (select 1 from product_variants v where v.product_id = p.id)
  then exists (select 1 from product_variants v where v.product_id = p.id and v.stock <= p.low_stock_threshold)
  else p.stock <= p.low_stock_threshold end)`;

export interface ListFilter extends Partial<
  Pick<ProductQuery, 'q' | 'category' | 'isActive' | 'inStock' | 'lowStock'>
> {
  sort: ProductQuery['sort'];
  page: number;
  limit: number;
}

/** Product columns as the mapper reads them (from the entity, or from a raw row). */
export type ProductFields = Pick<
  Product,
  | 'id'
  | 'name'
  | 'description'
  | 'priceKes'
  | 'compareAtPriceKes'
  | 'sku'
  | 'category'
  | 'stock'
  | 'lowStockThreshold'
  | 'isActive'
  | 'images'
  | 'createdAt'
  | 'updatedAt'
>;
export type VariantFields = Pick<
  ProductVariant,
  'id' | 'name' | 'options' | 'sku' | 'priceKes' | 'stock' | 'createdAt' | 'updatedAt'
>;

export function whereClause(
  sellerId: string,
  f: Pick<ListFilter, 'q' | 'category' | 'isActive' | 'inStock' | 'lowStock'>,
): { where: string; params: unknown[] } {
  const where = ['p.seller_id = ?', 'p.deleted_at is null'];
  const params: unknown[] = [sellerId];
  if (f.q) {
    where.push(`(p.name ilike ? or p.sku ilike ?)`);
    const like = ilikePattern(f.q);
    params.push(like, like);
  }
  if (f.category) {
    where.push('lower(p.category) = lower(?)');
    params.push(f.category);
  }
  if (f.isActive !== undefined) {
    where.push('p.is_active = ?');
    params.push(f.isActive);
  }
  if (f.inStock !== undefined) where.push(f.inStock ? `${STOCK} > 0` : `${STOCK} = 0`);
  if (f.lowStock !== undefined) where.push(f.lowStock ? LOW : `not ${LOW}`);
  return { where: where.join(' and '), params };
}
