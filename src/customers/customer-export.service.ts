import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, StreamableFile } from '@nestjs/common';
import { AuditLog } from '../auth/audit/audit-log.service.js';
import type { Actor } from '../auth/auth-user.js';
import { customerSearch } from './customer-search.js';
import { csvDownload, filtersOf, nairobiTime, neutralised } from '../common/csv-download.js';
import type { CustomerExportQuery } from './dto/customer.dto.js';

const COLUMNS = [
  'name',
  'phone',
  'email',
  'tags',
  'orderCount',
  'paidOrderCount',
  'spentKes',
  'firstOrderedAt',
  'lastOrderedAt',
  'customerSince',
  'customerId',
] as const;
type Row = Record<(typeof COLUMNS)[number], string | number>;

interface CustomerRow {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  tags: string[];
  order_count: number;
  paid_order_count: number;
  spent_kes: string;
  first_ordered_at: string | null;
  last_ordered_at: string | null;
  created_at: string;
  cursor: string;
}

/**
 * The shop's customers as CSV (an SMS list, the books), newest first, under the list's search; keyset batches as the
 * orders export. The seller's private notes stay out. Each download goes to the audit log, as every phone leaves.
 */
@Injectable()
export class CustomerExport {
  private readonly logger = new Logger(CustomerExport.name);
  /** Customers read per round trip. */
  batchSize = 1000;

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async download(sellerId: string, query: CustomerExportQuery, actor: Actor): Promise<StreamableFile> {
    // Recorded once the first rows were read: a download the database refused took nothing.
    const file = await csvDownload(this.rows(sellerId, query), COLUMNS, 'customers', (error) =>
      this.logger.error(`customer export for ${sellerId} stopped: ${error.message}`),
    );
    await this.audit.record(this.em.fork(), {
      sellerId,
      actor,
      action: 'customers.exported',
      changes: filtersOf(query),
    });
    return file;
  }

  private async *rows(sellerId: string, query: CustomerExportQuery): AsyncGenerator<Row> {
    const em = this.em.fork();
    const { where, params } = customerSearch(sellerId, query.q);
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const keyset = after ? ['created_at <= ?::timestamptz and (created_at, id) < (?::timestamptz, ?)'] : [];
      const batch = await em.execute<CustomerRow[]>(
        `select id, name, phone, email, tags, order_count, paid_order_count, spent_kes, first_ordered_at,
                last_ordered_at, created_at, created_at::text as cursor
         from customers where ${[...where, ...keyset].join(' and ')}
         order by created_at desc, id desc limit ?`,
        [...params, ...(after ? [after.at, after.at, after.id] : []), this.batchSize],
      );
      for (const c of batch) yield toRow(c);
      if (batch.length < this.batchSize) return;
      const last = batch[batch.length - 1];
      after = { at: last.cursor, id: last.id };
    }
  }
}

function toRow(c: CustomerRow): Row {
  return {
    name: neutralised(c.name),
    phone: neutralised(c.phone),
    email: neutralised(c.email ?? ''),
    tags: neutralised(c.tags.join('; ')),
    orderCount: c.order_count,
    paidOrderCount: c.paid_order_count,
    spentKes: Number(c.spent_kes),
    firstOrderedAt: nairobiTime(c.first_ordered_at),
    lastOrderedAt: nairobiTime(c.last_ordered_at),
    customerSince: nairobiTime(c.created_at),
    customerId: c.id,
  };
}
