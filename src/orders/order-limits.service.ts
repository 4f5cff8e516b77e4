import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { Tx } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';

/**
 * Limits on public order placement beyond the per-address rate limit, counted in the database so every instance
 * agrees: open orders per phone per shop, and M-Pesa PIN prompts per phone per hour across all shops.
 */
@Injectable()
export class OrderLimits {
  constructor(private readonly config: AppConfig) {}

  /**
   * The open (PENDING) orders this phone holds in the shop, as a sub-query for the statement that writes the order:
   * the caller holds the customer's row lock (CustomersService.findOrCreate), so two orders from one phone are
   * counted one after the other. Columns: `open`, `next_release_s`.
   */
  openOrdersQuery(sellerId: string, phone: string): { sql: string; params: unknown[]; limit: number } {
    return {
      sql: `select count(*) as open,
              extract(epoch from min(coalesce(hold_expires_at, created_at + make_interval(mins => ?))) - now())::int
                as next_release_s
            from orders where seller_id = ? and customer_phone = ? and status = 'PENDING'`,
      params: [this.config.mpesa.orderPaymentTimeoutMin, sellerId, phone],
      limit: this.config.orders.openPerPhone,
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

  /** Whether one more M-Pesa PIN prompt may go to this phone within the hour. */
  async stkPromptAllowed(tx: Tx, phone: string): Promise<boolean> {
    const limit = this.config.orders.stkPromptsPerPhonePerHour;
    if (limit === 0) return false;
    const rows = await tx.em.execute<unknown[]>(
      `select 1 from orders where customer_phone = ? and stk_prompt and created_at > now() - interval '1 hour' limit ?`,
      [phone, limit],
    );
    return rows.length < limit;
  }
}
