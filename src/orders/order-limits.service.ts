import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { BatchStatement } from '../database/prepared-batch.js';
import type { Tx } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';

/** The open-orders counts as a sub-query (columns `open`, `open_addr`), with the limits they are held to. */
export interface OpenOrdersQuery {
  sql: string;
  params: unknown[];
  limit: number;
  addressLimit: number;
}

/**
 * Limits on public order placement beyond the per-address rate limit, counted in the database so every instance
 * agrees: open orders per phone per shop, and M-Pesa PIN prompts per phone per hour across all shops.
 */
@Injectable()
export class OrderLimits {
  constructor(private readonly config: AppConfig) {}

  /**
   * The open (PENDING) orders this phone, and this client address, hold in the shop, as a sub-query for the statement
   * that writes the order: the caller holds the customer's row lock (CustomersService.findOrCreate) and the address's
   * turn (addressLock), so orders from one phone or network are counted one after the other. Each count stops at its
   * limit: only whether it is reached matters, and the orders of a busy network (a carrier's shared address) are
   * counted while the shop's hot rows are locked. Columns: `open`, `open_addr`.
   */
  openOrdersQuery(sellerId: string, phone: string, client: string): OpenOrdersQuery {
    const limit = this.config.orders.openPerPhone;
    const addressLimit = this.config.orders.openPerAddress;
    return {
      sql: `select
              (select count(*) from (select 1 from orders
                 where seller_id = ? and customer_phone = ? and status = 'PENDING' limit ?::int) p) as open,
              (select count(*) from (select 1 from orders
                 where seller_id = ? and client_key = ? and status = 'PENDING' limit ?::int) a) as open_addr`,
      params: [sellerId, phone, limit, sellerId, client, addressLimit],
      limit,
      addressLimit,
    };
  }

  /** The same columns for an order the shop's staff take: nothing counted, nothing over a limit. */
  noOpenLimit(): OpenOrdersQuery {
    return { sql: 'select 0 as open, 0 as open_addr', params: [], limit: 1, addressLimit: 1 };
  }

  /** Seconds until the first of these open orders is released (paid, cancelled, expired): a refusal's Retry-After. */
  async nextRelease(tx: Tx, sellerId: string, by: { phone: string } | { client: string }): Promise<number | null> {
    const column = 'phone' in by ? 'customer_phone' : 'client_key';
    const [row] = await tx.sql<{ s: number | null }>(
      `select extract(epoch from
         min(coalesce(hold_expires_at, created_at + make_interval(mins => ?::int))) - now())::int as s
       from orders where seller_id = ? and ${column} = ? and status = 'PENDING'`,
      [this.config.mpesa.orderPaymentTimeoutMin, sellerId, 'phone' in by ? by.phone : by.client],
    );
    return row?.s ?? null;
  }

  /**
   * One client address's orders in a shop take turns (a transaction-scoped advisory lock), so orders from changing
   * phones on one network are counted one after the other against ORDER_OPEN_PER_ADDRESS. A statement of its own,
   * right before the one that counts (which then sees the orders committed while it waited), so it is held from
   * there to the commit only: every buyer behind one carrier-grade NAT address shares it.
   */
  addressLock(sellerId: string, client: string): BatchStatement {
    return {
      sql: `select pg_advisory_xact_lock(hashtextextended('order-address:' || ?::text || ':' || ?::text, 0))`,
      params: [sellerId, client],
    };
  }

  /** The 429 for a phone at ORDER_OPEN_PER_PHONE, with Retry-After until its oldest open order is released. */
  tooManyOpen(nextReleaseS: number | null): AppError {
    const limit = this.config.orders.openPerPhone;
    return AppError.rateLimited(
      `This phone number already has ${limit} unpaid order${limit === 1 ? '' : 's'} in this shop. Pay or ` +
        `cancel one of them before placing another.`,
      Math.min(Math.max(nextReleaseS ?? 60, 60), 3600),
    );
  }

  /** The 429 for a client address at ORDER_OPEN_PER_ADDRESS. */
  tooManyOpenFromAddress(nextReleaseS: number | null): AppError {
    const limit = this.config.orders.openPerAddress;
    return AppError.rateLimited(
      `Your network already has ${limit} unpaid order${limit === 1 ? '' : 's'} in this shop. Pay or cancel ` +
        'one of them before placing another.',
      Math.min(Math.max(nextReleaseS ?? 60, 60), 3600),
    );
  }

  /** The most units of one product or variant one public order may take in this shop. */
  maxUnitsPerLine(shopOwn: number | null): number {
    return shopOwn ?? this.config.orders.maxUnitsPerLine;
  }

  /** Whether one more M-Pesa PIN prompt may go to this phone within the hour. */
  async stkPromptAllowed(tx: Tx, phone: string): Promise<boolean> {
    const limit = this.config.orders.stkPromptsPerPhonePerHour;
    if (limit === 0) return false;
    const rows = await tx.sql<unknown>(
      `select 1 from orders where customer_phone = ? and stk_prompt and created_at > now() - interval '1 hour' limit ?`,
      [phone, limit],
    );
    return rows.length < limit;
  }
}
