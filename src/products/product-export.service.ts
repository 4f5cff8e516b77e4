import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, StreamableFile } from '@nestjs/common';
import { csvDownload, nairobiTime, neutralised } from '../common/csv-download.js';
import type { ProductExportQuery } from './dto/product.dto.js';
import { whereClause } from './product-list.query.js';

const COLUMNS = [
  'name',
  'variant',
  'sku',
  'category',
  'priceKes',
  'compareAtPriceKes',
  'stock',
  'lowStockThreshold',
  'stockValueKes',
  'isActive',
  'updatedAt',
  'productId',
  'variantId',
] as const;
type Row = Record<(typeof COLUMNS)[number], string | number>;

interface ItemRow {
  id: string;
  name: string;
  sku: string | null;
  category: string | null;
  price_kes: number;
  compare_at_price_kes: number | null;
  stock: number;
  low_stock_threshold: number;
  is_active: boolean;
  updated_at: string;
  sort_name: string;
  variant_id: string | null;
  variant_name: string | null;
  variant_sku: string | null;
  variant_price_kes: number | null;
  variant_stock: number | null;
  variant_updated_at: string | null;
}

/**
 * The catalogue as CSV for a stock take or a price list: one row per thing on the shelf — a product, or each of its
 * variants (the product's own row would count their stock twice) — by name, under the list's filters, so the stock
 * column sums to the units the shop holds. Keyset batches of products, as the orders export. Nothing personal leaves,
 * so no audit line.
 */
@Injectable()
export class ProductExport {
  private readonly logger = new Logger(ProductExport.name);
  /** Products read per round trip (with their variants). */
  batchSize = 500;

  constructor(private readonly em: EntityManager) {}

  download(sellerId: string, query: ProductExportQuery): Promise<StreamableFile> {
    return csvDownload(this.rows(sellerId, query), COLUMNS, 'products', (error) =>
      this.logger.error(`product export for ${sellerId} stopped: ${error.message}`),
    );
  }

  private async *rows(sellerId: string, query: ProductExportQuery): AsyncGenerator<Row> {
    const em = this.em.fork();
    const { where, params } = whereClause(sellerId, query);
    let after: { name: string; id: string } | undefined;
    for (;;) {
      const keyset = after ? ' and (lower(p.name), p.id) > (?, ?)' : '';
      const batch = await em.execute<ItemRow[]>(
        `with page as (
           select p.id, p.name, p.sku, p.category, p.price_kes, p.compare_at_price_kes, p.stock,
                  p.low_stock_threshold, p.is_active, p.updated_at::text as updated_at, lower(p.name) as sort_name
           from products p where ${where}${keyset}
           order by lower(p.name), p.id limit ?)
         select page.*, v.id as variant_id, v.name as variant_name, v.sku as variant_sku,
                v.price_kes as variant_price_kes, v.stock as variant_stock, v.updated_at::text as variant_updated_at
         from page left join product_variants v on v.product_id = page.id
         order by page.sort_name, page.id, v.created_at, v.id`,
        [...params, ...(after ? [after.name, after.id] : []), this.batchSize],
      );
      let products = 0;
      for (const item of batch) {
        if (item.id !== after?.id) products++;
        after = { name: item.sort_name, id: item.id };
        yield toRow(item);
      }
      if (products < this.batchSize) return;
    }
  }
}

function toRow(r: ItemRow): Row {
  const price = r.variant_id ? (r.variant_price_kes ?? r.price_kes) : r.price_kes;
  const stock = r.variant_stock ?? r.stock;
  return {
    name: neutralised(r.name),
    variant: neutralised(r.variant_name ?? ''),
    sku: neutralised((r.variant_id ? r.variant_sku : r.sku) ?? ''),
    category: neutralised(r.category ?? ''),
    priceKes: price,
    compareAtPriceKes: r.compare_at_price_kes ?? '',
    stock,
    lowStockThreshold: r.low_stock_threshold,
    stockValueKes: price * stock,
    isActive: r.is_active ? 'true' : 'false',
    updatedAt: nairobiTime(r.variant_updated_at ?? r.updated_at),
    productId: r.id,
    variantId: r.variant_id ?? '',
  };
}
