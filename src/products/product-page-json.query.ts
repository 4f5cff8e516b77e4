import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedRows } from '../database/prepared.js';
import { type ListFilter, ORDER_BY, whereClause } from './product-list.query.js';

/** An instant as the API writes it (what Date#toJSON gives): UTC, milliseconds, `Z`. */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One page of products as JSON text, written by PostgreSQL in one prepared statement: `item` is each product's
 * object (over `page p` and the `joins`), in the page's order, inside `{ data, page, limit, total }`. The text goes to
 * the client as it is: the rows are not parsed into objects, mapped and serialised again (that was most of a list's
 * cost). Lateral joins run for the page's rows only (after the limit); the total is counted apart only past the
 * last page.
 */
async function productPage(
  em: EntityManager,
  sellerId: string,
  f: ListFilter,
  item: string,
  joins: string,
): Promise<string> {
  const { where, params } = whereClause(sellerId, f);
  const order = ORDER_BY[f.sort];
  const [row] = await preparedRows<{ body: string }>(
    em,
    `with page as (
       select p.*, count(*) over () as total, row_number() over (order by ${order}) as rn
       from products p where ${where} order by ${order} limit ? offset ?)
     select json_build_object(
       'data', coalesce(json_agg(${item} order by p.rn), '[]'::json),
       'page', ?::int, 'limit', ?::int,
       'total', coalesce(max(p.total), (select count(*) from products p where ${where})))::text as body
     from page p ${joins}`,
    [...params, f.limit, (f.page - 1) * f.limit, f.page, f.limit, ...params],
  );
  return row.body;
}

/** The seller's product list: for each product what `toProductResponse` gives, variants included. */
export function productPageJson(em: EntityManager, sellerId: string, f: ListFilter): Promise<string> {
  return productPage(
    em,
    sellerId,
    f,
    `json_build_object(
       'id', p.id, 'name', p.name, 'description', p.description, 'priceKes', p.price_kes,
       'compareAtPriceKes', p.compare_at_price_kes, 'sku', p.sku, 'category', p.category,
       'stock', coalesce(v.stock, p.stock), 'lowStockThreshold', p.low_stock_threshold, 'isActive', p.is_active,
       'images', p.images, 'variants', coalesce(v.list, '[]'::json),
       'createdAt', ${iso('p.created_at')}, 'updatedAt', ${iso('p.updated_at')})`,
    `left join lateral (
       select sum(v.stock) as stock, json_agg(json_build_object('id', v.id, 'name', v.name, 'options', v.options,
         'sku', v.sku, 'priceKes', coalesce(v.price_kes, p.price_kes), 'stock', v.stock,
         'createdAt', ${iso('v.created_at')}, 'updatedAt', ${iso('v.updated_at')}) order by v.created_at, v.id) as list
       from product_variants v where v.product_id = p.id) v on true`,
  );
}

/**
 * The public shop window: active products, newest first, a variant's price falling back to the product's, in-stock
 * flags instead of counts, and ratings from visible reviews.
 */
export function storefrontPageJson(
  em: EntityManager,
  sellerId: string,
  f: Pick<ListFilter, 'q' | 'category' | 'page' | 'limit'>,
): Promise<string> {
  return productPage(
    em,
    sellerId,
    { ...f, isActive: true, sort: 'newest' },
    `json_build_object(
       'id', p.id, 'name', p.name, 'description', p.description, 'priceKes', p.price_kes,
       'compareAtPriceKes', p.compare_at_price_kes, 'category', p.category, 'images', p.images,
       'inStock', coalesce(v.stock, p.stock) > 0, 'averageRating', r.avg, 'reviewCount', coalesce(r.count, 0),
       'variants', coalesce(v.list, '[]'::json))`,
    `left join lateral (
       select sum(v.stock) as stock, json_agg(json_build_object('id', v.id, 'name', v.name, 'options', v.options,
         'priceKes', coalesce(v.price_kes, p.price_kes), 'inStock', v.stock > 0) order by v.created_at, v.id) as list
       from product_variants v where v.product_id = p.id) v on true
     left join lateral (
       select round(avg(rating)::numeric, 2)::float8 as avg, count(*) as count
       from product_reviews where is_visible and product_id = p.id having count(*) > 0) r on true`,
  );
}
