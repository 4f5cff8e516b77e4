import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/unit-of-work.js';
import { PAYMENT_TIMEOUT, takesPayment } from './order-state.js';

/**
 * An order a payment might be for: its id, state and phone (the payer's digits are compared with it). `open`: it
 * takes a payment as it stands (PENDING, or cash on delivery on its way), rather than only by reopening.
 */
export interface PaymentCandidate {
  id: string;
  status: string;
  customerPhone: string;
  open: boolean;
}

interface CandidateRow {
  id: string;
  status: string;
  customer_phone: string;
  payment_method: string;
  unpaid: boolean;
}

const candidate = (r: CandidateRow): PaymentCandidate => ({
  id: r.id,
  status: r.status,
  customerPhone: r.customer_phone,
  // A cash-on-delivery order already paid in full at the door takes nothing more.
  open: takesPayment({ status: r.status, paymentMethod: r.payment_method }) && (r.status === 'PENDING' || r.unpaid),
});

/**
 * The questions a till or paybill payment asks of the shop's orders, answered inside the payment's transaction:
 * which orders a reference names, and which are waiting for exactly this amount.
 */
@Injectable()
export class OrderLookup {
  /** Orders whose reference is `SKH-<year>-<number>`, any year when `year` is undefined; newest first. */
  async byReference(tx: Tx, sellerId: string, number: number, year?: number): Promise<PaymentCandidate[]> {
    const padded = String(number).padStart(5, '0');
    const rows = await tx.em.execute<CandidateRow[]>(
      `select id, status, customer_phone, payment_method, amount_paid_kes < total_kes as unpaid
       from orders where seller_id = ? and reference_code like ?
       order by created_at desc limit 20`,
      [sellerId, `SKH-${year ?? '____'}-${padded}`],
    );
    return rows.map(candidate);
  }

  /**
   * Orders with exactly `amountKes` still due: open ones placed in the last `windowH` hours and ones the payment
   * timeout cancelled then (a late payment may reopen them), and cash-on-delivery orders on their way that moved in
   * that time (paid at the door, perhaps days after placing). At most `limit`, newest first.
   */
  async awaitingAmount(
    tx: Tx,
    sellerId: string,
    amountKes: number,
    windowH: number,
    limit: number,
  ): Promise<PaymentCandidate[]> {
    // Two arms, each on its own partial index (orders_open_amount_index, orders_cod_collecting_index).
    const rows = await tx.em.execute<CandidateRow[]>(
      `(select id, status, customer_phone, payment_method, true as unpaid, created_at from orders where seller_id = ?
          and created_at > now() - make_interval(hours => ?) and total_kes - amount_paid_kes = ?
          and (status = 'PENDING' or (status = 'CANCELLED' and cancel_reason = ?))
        order by created_at desc limit ?)
       union all
       (select id, status, customer_phone, payment_method, true as unpaid, created_at from orders where seller_id = ?
          and updated_at > now() - make_interval(hours => ?) and total_kes - amount_paid_kes = ?
          and payment_method = 'CASH_ON_DELIVERY' and status in ('CONFIRMED', 'DISPATCHED', 'DELIVERED')
        order by updated_at desc limit ?)
       order by created_at desc limit ?`,
      [sellerId, windowH, amountKes, PAYMENT_TIMEOUT, limit, sellerId, windowH, amountKes, limit, limit],
    );
    return rows.map(candidate);
  }
}
