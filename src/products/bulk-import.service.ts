import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { flattenValidationErrors } from '../errors/validation.js';
import { type BulkResult, type BulkRowError, CreateProductDto } from './dto/product.dto.js';
import { ProductsService } from './products.service.js';

export const MAX_BULK_ROWS = 1000;

const TAKEN_SKU = 'a product with this sku already exists in your shop';

/**
 * An all-or-nothing import with a bad row is bad input: a 4xx in the error envelope, naming every row (the envelope's
 * `errors`, each with its `row`), with `created: 0`. Only SKUs taken in the shop: 409, as a single create's; else 400.
 */
function refused(errors: BulkRowError[]): AppError {
  const rows = new Set(errors.map((e) => e.row)).size;
  const conflict = errors.every((e) => e.message === TAKEN_SKU);
  const message =
    `${rows === 1 ? '1 row has' : `${rows} rows have`} problems: nothing was imported ` +
    '(correct them, or send ?partial=true to import the good rows)';
  const error = new AppError(conflict ? 'CONFLICT' : 'VALIDATION_ERROR', message, errors);
  error.extra = { created: 0 };
  return error;
}

/**
 * Bulk import from a JSON array or a CSV with a header row. Every row is validated first; nothing is created while any
 * row is bad, unless `partial` (then the good rows are). SKUs are checked against the shop and within the file.
 */
@Injectable()
export class BulkImportService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly products: ProductsService,
  ) {}

  async import(sellerId: string, rows: unknown, partial: boolean): Promise<BulkResult> {
    if (!Array.isArray(rows))
      throw AppError.validation('Send a JSON array of products, or a CSV with a header row', [
        { field: 'body', message: 'must be an array' },
      ]);
    if (rows.length === 0)
      throw AppError.validation('No products to import', [{ field: 'body', message: 'must not be empty' }]);
    if (rows.length > MAX_BULK_ROWS) {
      throw AppError.validation(`At most ${MAX_BULK_ROWS} products per import (this one has ${rows.length})`, [
        { field: 'body', message: `at most ${MAX_BULK_ROWS} rows` },
      ]);
    }
    const errors: BulkRowError[] = [];
    const good: { row: number; dto: CreateProductDto }[] = [];
    const skus = new Map<string, number>();
    for (const [i, raw] of rows.entries()) {
      const row = i + 1;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        errors.push({ row, field: 'row', message: 'must be an object' });
        continue;
      }
      const dto = plainToInstance(CreateProductDto, raw);
      const rowErrors = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
      // Only a valid (string) sku takes part in the duplicate check; a wrong type is already a row error.
      const sku = typeof dto.sku === 'string' ? dto.sku.toLowerCase() : undefined;
      if (sku && skus.has(sku)) rowErrors.push({ field: 'sku', message: `sku repeats row ${skus.get(sku)}` });
      if (sku && !skus.has(sku)) skus.set(sku, row);
      if (rowErrors.length) errors.push(...rowErrors.map((e) => ({ row, ...e })));
      else good.push({ row, dto });
    }
    const taken = await this.takenSkus(sellerId, [...skus.keys()]);
    for (const item of [...good]) {
      if (item.dto.sku && taken.has(item.dto.sku.toLowerCase())) {
        errors.push({ row: item.row, field: 'sku', message: TAKEN_SKU });
        good.splice(good.indexOf(item), 1);
      }
    }
    errors.sort((a, b) => a.row - b.row);
    if (errors.length && !partial) throw refused(errors);
    if (!good.length) return { created: 0, errors, ids: [] };
    try {
      const ids = await this.uow.run((tx) =>
        this.products.createMany(
          tx,
          sellerId,
          good.map((g) => g.dto),
        ),
      );
      return { created: ids.length, errors, ids };
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw AppError.conflict('A product with one of these SKUs was created meanwhile; nothing was imported');
      throw error;
    }
  }

  private async takenSkus(sellerId: string, skus: string[]): Promise<Set<string>> {
    if (!skus.length) return new Set();
    const rows = await this.em.fork().execute<{ sku: string }[]>(
      `select lower(sku) as sku from products where seller_id = ? and deleted_at is null
         and lower(sku) in (select json_array_elements_text(?::json))`,
      [sellerId, JSON.stringify(skus)],
    );
    return new Set(rows.map((r) => r.sku));
  }
}
