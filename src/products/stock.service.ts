import { Injectable } from '@nestjs/common';
import type { BatchStatement } from '../database/prepared-batch.js';
import type { Tx } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';

export interface StockLine {
  productId: string;
  variantId?: string | null;
  /** Positive restocks, negative takes. */
  delta: number;
}

/** A product's units, never below zero: no row when it is gone or has too few. */
const ADJUST_PRODUCT = `with old as (select id, low_stock_alerted from products where id = ? and seller_id = ?
  and deleted_at is null for update)
  update products p set stock = p.stock + ?::int, low_stock_alerted = (p.stock + ?::int) <= p.low_stock_threshold,
    updated_at = now()
  from old where p.id = old.id and p.stock + ?::int >= 0
  returning p.name, p.sku, p.stock, p.low_stock_threshold as threshold, p.low_stock_alerted as alerted,
            old.low_stock_alerted as was_alerted, p.price_kes, p.is_active, p.category`;

/** A variant's units, the same way; its product's threshold, name, price (unless its own), activity and category. */
const ADJUST_VARIANT = `with old as (
    select v.id, v.low_stock_alerted, p.low_stock_threshold, p.name, p.price_kes, p.is_active, p.category
    from product_variants v join products p on p.id = v.product_id
    where v.id = ? and v.product_id = ? and v.seller_id = ? and p.deleted_at is null
    for update of v
  )
  update product_variants v set stock = v.stock + ?::int,
    low_stock_alerted = (v.stock + ?::int) <= old.low_stock_threshold, updated_at = now()
  from old where v.id = old.id and v.stock + ?::int >= 0
  returning old.name || ' (' || v.name || ')' as name, v.sku, v.stock, old.low_stock_threshold as threshold,
            v.low_stock_alerted as alerted, old.low_stock_alerted as was_alerted, coalesce(v.price_kes,
              old.price_kes) as price_kes,
            old.is_active, old.category`;

export interface StockRow {
  name: string;
  sku: string | null;
  stock: number;
  threshold: number;
  alerted: boolean;
  was_alerted: boolean;
  price_kes: number;
  is_active: boolean;
  category: string | null;
}

/**
 * The only way stock changes (products, variants, orders, cancellations). Each line is one atomic UPDATE that refuses
 * to go below zero, so concurrent buyers can never oversell. LOW_STOCK_ALERT fires when stock crosses down to the
 * threshold, and again only after a restock above it.
 */
@Injectable()
export class StockService {
  /**
   * Whether every line's units can be taken now. The rows stay locked until the transaction ends, so takes that follow
   * in it cannot fail; a deleted product or variant cannot be taken.
   */
  async canTake(tx: Tx, sellerId: string, lines: { productId: string; variantId: string | null; quantity: number }[]) {
    const need = new Map<string, { productId: string; variantId: string | null; quantity: number }>();
    for (const l of lines) {
      const key = `${l.productId}/${l.variantId ?? ''}`;
      const seen = need.get(key);
      need.set(key, { ...l, quantity: (seen?.quantity ?? 0) + l.quantity });
    }
    // One lock order everywhere (product, then variant) so two takers never wait on each other.
    const ordered = [...need.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, l]) => l);
    for (const l of ordered) {
      const stock = await this.lockedStock(tx, sellerId, l);
      if (stock === undefined || stock < l.quantity) return false;
    }
    return true;
  }

  /**
   * A product's (or variant's) units, its row locked until the transaction ends; undefined when it is not this shop's
   * or is deleted. Callers locking several take them in one order (by `productId/variantId`), as `canTake` does.
   */
  async lockedStock(
    tx: Tx,
    sellerId: string,
    line: { productId: string; variantId?: string | null },
  ): Promise<number | undefined> {
    const rows = await tx.em.execute<{ stock: number }[]>(
      line.variantId
        ? `select v.stock from product_variants v join products p on p.id = v.product_id where v.id = ?
           and v.product_id = ? and v.seller_id = ? and p.deleted_at is null for update of v`
        : 'select stock from products where id = ? and seller_id = ? and deleted_at is null for update',
      line.variantId ? [line.variantId, line.productId, sellerId] : [line.productId, sellerId],
    );
    return rows[0]?.stock;
  }

  async adjust(tx: Tx, sellerId: string, line: StockLine): Promise<number> {
    const { sql, params } = this.statement(sellerId, line);
    const [row] = await tx.sql<StockRow>(sql, params);
    return this.settle(tx, sellerId, line, row);
  }

  /**
   * The one statement that applies `line` (see adjust), for a caller that runs it in a batch with its own statements
   * (order placement); its row then goes to settle.
   */
  statement(sellerId: string, line: StockLine): BatchStatement {
    return line.variantId
      ? {
          sql: ADJUST_VARIANT,
          params: [line.variantId, line.productId, sellerId, line.delta, line.delta, line.delta],
          read: true,
        }
      : { sql: ADJUST_PRODUCT, params: [line.productId, sellerId, line.delta, line.delta, line.delta], read: true };
  }

  /**
   * What follows a line's statement: no row means the product (or variant) is gone (404) or has too few units (409);
   * otherwise STOCK_CHANGED, and LOW_STOCK_ALERT when it crossed down to its threshold. Answers the stock left.
   */
  async settle(tx: Tx, sellerId: string, line: StockLine, row: StockRow | undefined): Promise<number> {
    if (!row) {
      const exists = await tx.sql<{ n: number }>(
        line.variantId
          ? 'select 1 as n from product_variants v join products p on p.id = v.product_id where v.id = ? and ' +
              'v.product_id = ? and v.seller_id = ? and p.deleted_at is null'
          : 'select 1 as n from products where id = ? and seller_id = ? and deleted_at is null',
        line.variantId ? [line.variantId, line.productId, sellerId] : [line.productId, sellerId],
      );
      if (!exists.length) throw AppError.notFound(line.variantId ? 'Variant' : 'Product');
      throw AppError.conflict(`Not enough stock for ${line.variantId ?? line.productId}`);
    }
    const data = {
      productId: line.productId,
      variantId: line.variantId ?? null,
      name: row.name,
      sku: row.sku,
      stock: row.stock,
      lowStockThreshold: row.threshold,
    };
    if (line.delta !== 0) {
      await tx.publish(
        new DomainEvent('STOCK_CHANGED', sellerId, {
          productId: line.productId,
          name: row.name,
          sku: row.sku,
          priceKes: row.price_kes,
          stock: row.stock,
          isActive: row.is_active,
          category: row.category,
        }),
      );
    }
    if (row.alerted && !row.was_alerted) await tx.publish(new DomainEvent('LOW_STOCK_ALERT', sellerId, data));
    return row.stock;
  }
}
