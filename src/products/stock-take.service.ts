import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AuditLog } from '../auth/audit/audit-log.service.js';
import type { Actor } from '../auth/auth-user.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { flattenValidationErrors } from '../errors/validation.js';
import { DomainEvent } from '../events/domain-event.js';
import type { BulkRowError } from './dto/product.dto.js';
import { type StockChange, StockCountRow, type StockTakeResult } from './dto/stock-take.dto.js';
import { ProductVariant } from './entities/product-variant.entity.js';
import { Product } from './entities/product.entity.js';
import { toProductEvent } from './product.mapper.js';
import { StockService } from './stock.service.js';

/** A shop's whole shelf, variants included, in one upload. */
export const MAX_STOCK_ROWS = 5000;
const COLUMNS = ['productId', 'variantId', 'sku', 'stock'] as const;

interface Known {
  product_id: string;
  variant_id: string | null;
  name: string;
  sku: string | null;
  has_variants: boolean;
}
interface Counted {
  row: number;
  productId: string;
  variantId: string | null;
  name: string;
  stock: number;
}

function refused(message: string, errors: BulkRowError[]): AppError {
  const error = new AppError('VALIDATION_ERROR', message, errors);
  error.extra = { updated: 0 };
  return error;
}

/**
 * A stock take: the units counted on the shelf become the shop's stock, all or nothing. Each line names a product sold
 * as it is, a variant, or a SKU of either; the export's CSV comes back as it is with its stock column edited (its other
 * columns are ignored; an emptied stock cell is skipped). Every difference goes through StockService.adjust under the
 * row's lock, so a sale during the upload is never lost to a stale figure, and low-stock alerts fire as for any change.
 */
@Injectable()
export class StockTakeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly stock: StockService,
    private readonly audit: AuditLog,
  ) {}

  async count(sellerId: string, actor: Actor, rows: unknown, csv: boolean): Promise<StockTakeResult> {
    if (!Array.isArray(rows))
      throw AppError.validation('Send a JSON array of counted lines, or a CSV with a header row', [
        { field: 'body', message: 'must be an array' },
      ]);
    if (rows.length > MAX_STOCK_ROWS)
      throw AppError.validation(`At most ${MAX_STOCK_ROWS} lines per stock take (this one has ${rows.length})`, [
        { field: 'body', message: `at most ${MAX_STOCK_ROWS} rows` },
      ]);
    if (csv && rows.length && !('stock' in (rows[0] as object)))
      throw AppError.validation('The file has no stock column', [{ field: 'stock', message: 'column missing' }]);
    const { lines, errors, skipped } = await this.read(rows, csv);
    if (!lines.length && !errors.length)
      throw AppError.validation('Nothing was counted', [{ field: 'body', message: 'must not be empty' }]);
    const counted = await this.identify(sellerId, lines, errors);
    if (errors.length) {
      const n = new Set(errors.map((e) => e.row)).size;
      throw refused(
        `${n === 1 ? '1 line has' : `${n} lines have`} problems: no stock was changed (correct them and send again)`,
        errors.sort((a, b) => a.row - b.row),
      );
    }
    return this.uow.run(async (tx) => {
      const changes = await this.apply(tx, sellerId, counted);
      const result = { updated: changes.length, unchanged: counted.length - changes.length, skipped, changes };
      await this.audit.record(tx.em, {
        sellerId,
        actor,
        action: 'products.stock_counted',
        changes: { updated: result.updated, unchanged: result.unchanged, skipped },
      });
      return result;
    });
  }

  /** Each row checked alone; a CSV's other columns are the export's, its empty stock cells lines not counted. */
  private async read(rows: unknown[], csv: boolean) {
    const lines: { row: number; dto: StockCountRow }[] = [];
    const errors: BulkRowError[] = [];
    let skipped = 0;
    for (const [i, raw] of rows.entries()) {
      const row = i + 1;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        errors.push({ row, field: 'row', message: 'must be an object' });
        continue;
      }
      const cells = raw as Record<string, unknown>;
      if (csv && String(cells.stock ?? '').trim() === '') {
        skipped++;
        continue;
      }
      const input = csv ? Object.fromEntries(COLUMNS.filter((c) => c in cells).map((c) => [c, cells[c]])) : cells;
      const dto = plainToInstance(StockCountRow, input);
      const found = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
      if (!found.length && !dto.productId && !dto.variantId && !dto.sku)
        found.push({ field: 'productId', message: 'give productId, variantId or sku' });
      if (found.length) errors.push(...found.map((e) => ({ row, ...e })));
      else lines.push({ row, dto });
    }
    return { lines, errors, skipped };
  }

  /** What each line names in this shop: naming nothing, a product sold by variant, or a thing twice is an error. */
  private async identify(
    sellerId: string,
    lines: { row: number; dto: StockCountRow }[],
    errors: BulkRowError[],
  ): Promise<Counted[]> {
    const known = await this.known(sellerId, lines);
    const byProduct = new Map(known.filter((k) => !k.variant_id).map((k) => [k.product_id, k]));
    const byVariant = new Map(known.filter((k) => k.variant_id).map((k) => [k.variant_id!, k]));
    const bySku = Map.groupBy(
      known.filter((k) => k.sku),
      (k) => k.sku!.toLowerCase(),
    );
    /** The shelf item a line names, or the field and message saying why it names none. */
    const find = (dto: StockCountRow): Known | [string, string] => {
      if (dto.variantId) {
        const variant = byVariant.get(dto.variantId);
        if (!variant) return ['variantId', 'no such variant in your shop'];
        if (dto.productId && dto.productId !== variant.product_id)
          return ['productId', 'is not the product of this variant'];
        return variant;
      }
      const matches = dto.productId
        ? [byProduct.get(dto.productId)].filter((k) => k !== undefined)
        : (bySku.get(dto.sku!.toLowerCase()) ?? []);
      const field = dto.productId ? 'productId' : 'sku';
      if (!matches.length) return [field, dto.productId ? 'no such product in your shop' : 'no such sku in your shop'];
      if (matches.length > 1) return [field, 'more than one product or variant has this sku'];
      if (matches[0].has_variants) return [field, 'sold by variant: count each variant on its own line'];
      return matches[0];
    };
    const seen = new Map<string, number>();
    const counted: Counted[] = [];
    for (const { row, dto } of lines) {
      const item = find(dto);
      if (Array.isArray(item)) {
        errors.push({ row, field: item[0], message: item[1] });
        continue;
      }
      const key = `${item.product_id}/${item.variant_id ?? ''}`;
      if (seen.has(key)) {
        errors.push({ row, field: 'stock', message: `counted twice (row ${seen.get(key)})` });
        continue;
      }
      seen.set(key, row);
      counted.push({ row, productId: item.product_id, variantId: item.variant_id, name: item.name, stock: dto.stock });
    }
    return counted;
  }

  private known(sellerId: string, lines: { dto: StockCountRow }[]): Promise<Known[]> {
    const ids = JSON.stringify(lines.flatMap(({ dto }) => [dto.productId, dto.variantId].filter(Boolean)));
    const skus = JSON.stringify(lines.flatMap(({ dto }) => (dto.sku ? [dto.sku.toLowerCase()] : [])));
    return this.em.fork().execute<Known[]>(
      `select p.id as product_id, null as variant_id, p.name, p.sku,
              exists (select 1 from product_variants v where v.product_id = p.id) as has_variants
       from products p
       where p.seller_id = ? and p.deleted_at is null
         and (p.id in (select json_array_elements_text(?::json))
              or lower(p.sku) in (select json_array_elements_text(?::json)))
       union all
       select v.product_id, v.id, p.name || ' (' || v.name || ')', v.sku, false
       from product_variants v join products p on p.id = v.product_id
       where v.seller_id = ? and p.deleted_at is null
         and (v.id in (select json_array_elements_text(?::json))
              or lower(v.sku) in (select json_array_elements_text(?::json)))`,
      [sellerId, ids, skus, sellerId, ids, skus],
    );
  }

  /**
   * Each line's difference from the stock held now, under its row's lock, taken in the order order placement takes
   * them (so the two never wait on each other); one PRODUCT_UPDATED per product that changed.
   */
  private async apply(tx: Tx, sellerId: string, counted: Counted[]): Promise<StockChange[]> {
    const key = (c: Counted) => `${c.productId}/${c.variantId ?? ''}`;
    const changes: StockChange[] = [];
    for (const c of [...counted].sort((a, b) => (key(a) < key(b) ? -1 : 1))) {
      const held = await this.stock.lockedStock(tx, sellerId, c);
      if (held === undefined) throw AppError.conflict(`${c.name} was deleted meanwhile: no stock was changed`);
      if (held === c.stock) continue;
      await this.stock.adjust(tx, sellerId, { productId: c.productId, variantId: c.variantId, delta: c.stock - held });
      changes.push({
        row: c.row,
        productId: c.productId,
        variantId: c.variantId,
        name: c.name,
        from: held,
        to: c.stock,
      });
    }
    const ids = [...new Set(changes.map((c) => c.productId))];
    if (ids.length) {
      const products = await tx.em.find(Product, { id: { $in: ids } }, { orderBy: { id: 'asc' } });
      const variants = Map.groupBy(await tx.em.find(ProductVariant, { productId: { $in: ids } }), (v) => v.productId);
      for (const p of products)
        await tx.publish(new DomainEvent('PRODUCT_UPDATED', sellerId, toProductEvent(p, variants.get(p.id) ?? [])));
    }
    return changes.sort((a, b) => a.row - b.row);
  }
}
