import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductQuery } from './dto/product.dto.js';

const ORDER_BY: Record<ProductQuery['sort'], string> = {
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

export interface ListFilter extends Partial<Pick<ProductQuery, 'q' | 'category' | 'isActive' | 'inStock' | 'lowStock'>> {
  sort: ProductQuery['sort'];
  page: number;
  limit: number;
}

/** One page of a shop's products (ids in order) and the total, filtered in SQL. */
export async function listProductIds(em: EntityManager, sellerId: string, f: ListFilter): Promise<{ ids: string[]; total: number }> {
  const where = ['p.seller_id = ?', 'p.deleted_at is null'];
  const params: unknown[] = [sellerId];
  if (f.q) {
    where.push(`(p.name ilike ? or p.sku ilike ?)`);
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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
  const rows = await em.execute<{ id: string; total: string }[]>(
    `select p.id, count(*) over () as total from products p where ${where.join(' and ')}
     order by ${ORDER_BY[f.sort]} limit ? offset ?`,
    [...params, f.limit, (f.page - 1) * f.limit],
  );
  if (rows.length || f.page === 1) return { ids: rows.map((r) => r.id), total: rows.length ? Number(rows[0].total) : 0 };
  const [{ n }] = await em.execute<{ n: string }[]>(`select count(*) as n from products p where ${where.join(' and ')}`, params);
  return { ids: [], total: Number(n) };
}
