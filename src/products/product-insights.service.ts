import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** What the catalogue tells analytics: storefront views and current stock. Reads only the catalogue's tables. */
@Injectable()
export class ProductInsightsService {
  constructor(private readonly em: EntityManager) {}

  /** Product page views in [from, to] and in [previousFrom, from) (Nairobi dates, inclusive). */
  async viewTotals(
    sellerId: string,
    range: { from: string; to: string; previousFrom: string },
  ): Promise<{ current: number; previous: number }> {
    const [row] = await this.em.fork().execute<{ cur: string; prev: string }[]>(
      `select coalesce(sum(views) filter (where day >= ?::date), 0) as cur,
              coalesce(sum(views) filter (where day < ?::date), 0) as prev
       from product_daily_views where seller_id = ? and day between ?::date and ?::date`,
      [range.from, range.from, sellerId, range.previousFrom, range.to],
    );
    return { current: Number(row.cur), previous: Number(row.prev) };
  }

  /** Units in stock now (summed over variants when a product has any); a deleted product is absent. */
  async currentStock(sellerId: string, productIds: string[]): Promise<Map<string, number>> {
    if (!productIds.length) return new Map();
    const rows = await this.em.fork().execute<{ id: string; stock: string }[]>(
      `select p.id, coalesce((select sum(v.stock) from product_variants v where v.product_id = p.id), p.stock) as stock
       from products p
       where p.seller_id = ? and p.id in (select json_array_elements_text(?::json)) and p.deleted_at is null`,
      [sellerId, JSON.stringify(productIds)],
    );
    return new Map(rows.map((r) => [r.id, Number(r.stock)]));
  }
}
