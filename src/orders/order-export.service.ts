import { raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, StreamableFile } from '@nestjs/common';
import { AuditLog } from '../auth/audit/audit-log.service.js';
import type { Actor } from '../auth/auth-user.js';
import { csvDownload, filtersOf, nairobiTime, neutralised } from '../common/csv-download.js';
import type { OrderExportQuery } from './dto/order.dto.js';
import { Order } from './entities/order.entity.js';
import { orderWhere } from './order-filter.js';
import { amountDue } from './order-state.js';

const COLUMNS = [
  'referenceCode',
  'placedAt',
  'status',
  'customerName',
  'customerPhone',
  'deliveryMethod',
  'deliveryAddress',
  'paymentMethod',
  'items',
  'itemCount',
  'totalKes',
  'amountPaidKes',
  'amountDueKes',
  'mpesaReceipt',
  'paidAt',
  'cancelReason',
  'orderId',
] as const;
type Row = Record<(typeof COLUMNS)[number], string | number>;

/**
 * The seller's orders as CSV for their books (Excel, Google Sheets, an accountant): one row per order with its lines
 * in one cell, under the list's filters, newest first, streamed batch by batch (keyset, never OFFSET) so a large shop
 * costs a steady trickle of memory. UTF-8 with a byte-order mark, so Excel reads "Wanjikũ" and "Café" as written.
 */
@Injectable()
export class OrderExport {
  private readonly logger = new Logger(OrderExport.name);
  /** Orders read per round trip: a 100,000-order export holds one batch in memory, never the whole shop. */
  batchSize = 500;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The download, once the shop's audit log says who took it and under which filters: every customer's name, phone
   * and address leave in one file, so the owner can see each time they did (a read key or a VIEWER included).
   */
  async download(sellerId: string, query: OrderExportQuery, actor: Actor): Promise<StreamableFile> {
    // Recorded once the first rows were read: a download the database refused took nothing.
    const file = await csvDownload(this.rows(sellerId, query), COLUMNS, 'orders', (error) =>
      this.logger.error(`order export for ${sellerId} stopped: ${error.message}`),
    );
    await this.audit.record(this.em.fork(), {
      sellerId,
      actor,
      action: 'orders.exported',
      changes: filtersOf(query),
    });
    return file;
  }

  private async *rows(sellerId: string, query: OrderExportQuery): AsyncGenerator<Row> {
    const em = this.em.fork();
    // The cursor is PostgreSQL's own text of the last row's created_at: a JS Date keeps milliseconds, the column
    // microseconds, and a cursor rounded down would skip the older orders placed in the same millisecond.
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const page = after
        ? {
            $and: [
              orderWhere(sellerId, query),
              // The first half is what the (seller_id, created_at) index can seek to; the pair breaks the ties.
              {
                [raw(
                  (a: string) =>
                    `${a}.created_at <= ?::timestamptz and (${a}.created_at, ${a}.id) < (?::timestamptz, ?)`,
                  [after.at, after.at, after.id],
                )]: [],
              },
            ],
          }
        : orderWhere(sellerId, query);
      // Plain rows, the lines joined by PostgreSQL: no entities to build and track for a read that only writes text.
      const qb = em
        .createQueryBuilder(Order, 'o')
        .select([...FIELDS, raw('o.created_at::text as cursor'), raw(`(${LINES}) as lines`)]);
      // The entity filter the list uses, as the query builder's own type spells it.
      const batch = await qb
        .where(page as Parameters<typeof qb.where>[0])
        .orderBy({ createdAt: 'desc', id: 'desc' })
        .limit(this.batchSize)
        .execute<ExportedOrder[]>('all');
      for (const o of batch) yield toRow(o);
      if (batch.length < this.batchSize) return;
      const last = batch[batch.length - 1];
      after = { at: last.cursor, id: last.id };
    }
  }
}

/** The order's lines in one cell: "2 × Sandals (Size 40) @ 950; 1 × Kikoi @ 1200". */
const LINES = `select string_agg(i.quantity || ' × ' || i.product_name || coalesce(' (' || i.variant_name || ')', '')
  || ' @ ' || i.unit_price_kes, '; ' order by i.id) from order_items i where i.order_id = o.id`;

const FIELDS = [
  'id',
  'referenceCode',
  'createdAt',
  'status',
  'customerName',
  'customerPhone',
  'deliveryMethod',
  'deliveryAddress',
  'paymentMethod',
  'itemCount',
  'totalKes',
  'amountPaidKes',
  'mpesaReceipt',
  'paidAt',
  'cancelReason',
] as const;

type ExportedOrder = Pick<Order, (typeof FIELDS)[number]> & { cursor: string; lines: string | null };

function toRow(o: ExportedOrder): Row {
  return {
    referenceCode: o.referenceCode,
    placedAt: nairobiTime(o.createdAt),
    status: o.status,
    customerName: neutralised(o.customerName),
    customerPhone: neutralised(o.customerPhone),
    deliveryMethod: o.deliveryMethod,
    deliveryAddress: neutralised(o.deliveryAddress ?? ''),
    paymentMethod: o.paymentMethod,
    items: neutralised(o.lines ?? ''),
    itemCount: o.itemCount,
    totalKes: o.totalKes,
    amountPaidKes: o.amountPaidKes,
    amountDueKes: amountDue(o),
    mpesaReceipt: o.mpesaReceipt ?? '',
    paidAt: nairobiTime(o.paidAt),
    cancelReason: neutralised(o.cancelReason ?? ''),
    orderId: o.id,
  };
}
