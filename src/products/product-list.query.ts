import { ilikePattern } from '../common/ilike.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductQuery } from './dto/product.dto.js';
import type { ProductVariant } from './entities/product-variant.entity.js';
import type { Product, ProductImage } from './entities/product.entity.js';

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

interface PageRow {
  id: string;
  name: string;
  description: string | null;
  price_kes: number;
  compare_at_price_kes: number | null;
  sku: string | null;
  category: string | null;
  stock: number;
  low_stock_threshold: number;
  is_active: boolean;
  images: ProductImage[];
  /** The driver leaves timestamps as text. */
  created_at: string;
  updated_at: string;
  total: string;
  variants: (Omit<VariantFields, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string })[];
}

export function whereClause(sellerId: string, f: ListFilter): { where: string; params: unknown[] } {
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

/**
 * One page of a shop's products with their variants and the total, in one statement (the dashboard's busiest read:
 * one round trip, no entity hydration). PostgreSQL evaluates the variants sub-select after the sort and limit, so
 * only for the page's rows (checked with EXPLAIN ANALYZE on a 2,000-product shop: 20 loops).
 */
export async function listProductPage(
  em: EntityManager,
  sellerId: string,
  f: ListFilter,
): Promise<{ rows: { product: ProductFields; variants: VariantFields[] }[]; total: number }> {
  const { where, params } = whereClause(sellerId, f);
  const rows = await em.execute<PageRow[]>(
    `select p.id, p.name, p.description, p.price_kes, p.compare_at_price_kes, p.sku, p.category, p.stock,
     p.low_stock_threshold,
            p.is_active, p.images, p.created_at, p.updated_at, count(*) over () as total,
            coalesce((select json_agg(json_build_object('id', v.id, 'name', v.name, 'options', v.options, 'sku', v.sku,
                        'priceKes', v.price_kes, 'stock', v.stock, 'createdAt', v.created_at, 'updatedAt', v.updated_at)
                      order by v.created_at, v.id)
                      from product_variants v where v.product_id = p.id), '[]') as variants
     from products p where ${where}
     order by ${ORDER_BY[f.sort]} limit ? offset ?`,
    [...params, f.limit, (f.page - 1) * f.limit],
  );
  if (!rows.length && f.page > 1) {
    const [{ n }] = await em.execute<{ n: string }[]>(`select count(*) as n from products p where ${where}`, params);
    return { rows: [], total: Number(n) };
  }
  return {
    total: rows.length ? Number(rows[0].total) : 0,
    rows: rows.map((r) => ({
      product: {
        id: r.id,
        name: r.name,
        description: r.description,
        priceKes: r.price_kes,
        compareAtPriceKes: r.compare_at_price_kes,
        sku: r.sku,
        category: r.category,
        stock: r.stock,
        lowStockThreshold: r.low_stock_threshold,
        isActive: r.is_active,
        images: r.images,
        createdAt: new Date(r.created_at),
        updatedAt: new Date(r.updated_at),
      },
      variants: r.variants.map((v) => ({ ...v, createdAt: new Date(v.createdAt), updatedAt: new Date(v.updatedAt) })),
    })),
  };
}
