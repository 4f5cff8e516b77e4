import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/unit-of-work.js';
import { PAYMENT_TIMEOUT } from './order-state.js';

/** An order a payment might be for: its id, state and phone (the payer's digits are compared with it). */
export interface PaymentCandidate {
  id: string;
  status: string;
  customerPhone: string;
}

/**
 * The questions a till or paybill payment asks of the shop's orders, answered inside the payment's transaction:
 * which orders a reference names, and which are waiting for exactly this amount.
 */
@Injectable()
export class OrderLookup {
  /** Orders whose reference is `SKH-<year>-<number>`, any year when `year` is undefined; newest first. */
  async byReference(tx: Tx, sellerId: string, number: number, year?: number): Promise<PaymentCandidate[]> {
    const padded = String(number).padStart(5, '0');
    const rows = await tx.em.execute<{ id: string; status: string; customer_phone: string }[]>(
      `select id, status, customer_phone from orders where seller_id = ? and reference_code like ?
       order by created_at desc limit 20`,
      [sellerId, `SKH-${year ?? '____'}-${padded}`],
    );
    return rows.map((r) => ({ id: r.id, status: r.status, customerPhone: r.customer_phone }));
  }

  /**
   * Orders placed in the last `windowH` hours with exactly `amountKes` still due: open ones, and ones the payment
   * timeout cancelled (a late payment may reopen them). At most `limit`, newest first.
   */
  async awaitingAmount(
    tx: Tx,
    sellerId: string,
    amountKes: number,
    windowH: number,
    limit: number,
  ): Promise<PaymentCandidate[]> {
    const rows = await tx.em.execute<{ id: string; status: string; customer_phone: string }[]>(
      `select id, status, customer_phone from orders where seller_id = ?
         and created_at > now() - make_interval(hours => ?) and total_kes - amount_paid_kes = ?
         and (status = 'PENDING' or (status = 'CANCELLED' and cancel_reason = ?))
       order by created_at desc limit ?`,
      [sellerId, windowH, amountKes, PAYMENT_TIMEOUT, limit],
    );
    return rows.map((r) => ({ id: r.id, status: r.status, customerPhone: r.customer_phone }));
  }
}
