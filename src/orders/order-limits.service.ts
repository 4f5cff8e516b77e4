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
   * Refuses an order when this phone already holds ORDER_OPEN_PER_PHONE open (PENDING) orders in the shop. The
   * caller holds the customer's row lock (CustomersService.findOrCreate), so two orders from one phone are counted
   * one after the other.
   */
  async assertOpenOrdersAllowed(tx: Tx, sellerId: string, phone: string): Promise<void> {
    const [row] = await tx.em.execute<{ open: string; next_release_s: number | null }[]>(
      `select count(*) as open,
              extract(epoch from min(coalesce(hold_expires_at,
                created_at + make_interval(mins => ?))) - now())::int as next_release_s
         from orders where seller_id = ? and customer_phone = ? and status = 'PENDING'`,
      [this.config.mpesa.orderPaymentTimeoutMin, sellerId, phone],
    );
    const limit = this.config.orders.openPerPhone;
    if (Number(row.open) < limit) return;
    throw AppError.rateLimited(
      `This phone number already has ${limit} unpaid order${limit === 1 ? '' : 's'} in this shop. Pay or ` +
        `cancel one of them before placing another.`,
      Math.min(Math.max(row.next_release_s ?? 60, 60), 3600),
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
