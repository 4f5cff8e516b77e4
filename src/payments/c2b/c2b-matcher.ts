import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { Tx } from '../../database/unit-of-work.js';
import { PAYMENT_TIMEOUT } from '../../orders/order-state.js';
import type { MatchedBy } from '../entities/payment.entity.js';
import { type C2bConfirmation, phoneAgrees, referenceLookup } from './c2b-shapes.js';

interface Candidate {
  id: string;
  status: string;
  customer_phone: string;
}

export interface Match {
  orderId: string;
  by: Exclude<MatchedBy, 'assigned'>;
}

/** More candidates than this for one amount in the window means the amount says nothing: no match. */
const MAX_CANDIDATES = 200;

/**
 * Finds the order a till or paybill payment pays, or none. Paybill: the account number names the order by its
 * reference, forgivingly. Till (or a paybill account naming nothing): an open order of the same amount due whose phone
 * agrees with the payer's visible digits, placed within C2B_MATCH_WINDOW_H; exactly one candidate or none. Open orders
 * come first; an order the payment timeout cancelled is a candidate only when no open one is.
 */
@Injectable()
export class C2bMatcher {
  constructor(private readonly config: AppConfig) {}

  async match(tx: Tx, sellerId: string, c: C2bConfirmation): Promise<Match | undefined> {
    if (c.channel === 'PAYBILL') {
      const byRef = await this.byReference(tx, sellerId, c.accountNumber);
      if (byRef) return { orderId: byRef, by: 'reference' };
    }
    const byAmount = await this.byAmountAndPhone(tx, sellerId, c);
    return byAmount ? { orderId: byAmount, by: 'amount-and-phone' } : undefined;
  }

  /** The open (PENDING) order an account number names, for validation: undefined when it names none. */
  async openOrderNamed(tx: Tx, sellerId: string, accountNumber: string | null): Promise<string | undefined> {
    const rows = await this.named(tx, sellerId, accountNumber);
    const open = rows.filter((r) => r.status === 'PENDING');
    return open.length === 1 ? open[0].id : undefined;
  }

  private async byReference(tx: Tx, sellerId: string, accountNumber: string | null): Promise<string | undefined> {
    const rows = await this.named(tx, sellerId, accountNumber);
    return pick(rows);
  }

  /** Orders of the shop an account number may name ("SKH-2025-00042", "2025-00042", "00042", "42"). */
  private async named(tx: Tx, sellerId: string, accountNumber: string | null): Promise<Candidate[]> {
    const ref = referenceLookup(accountNumber);
    if (!ref) return [];
    const padded = String(ref.number).padStart(5, '0');
    const pattern = ref.kind === 'number' ? `SKH-____-${padded}` : `SKH-${ref.year}-${padded}`;
    return tx.em.execute<Candidate[]>(
      `select id, status, customer_phone from orders where seller_id = ? and reference_code like ?
       order by created_at desc limit 20`,
      [sellerId, pattern],
    );
  }

  private async byAmountAndPhone(tx: Tx, sellerId: string, c: C2bConfirmation): Promise<string | undefined> {
    if (!c.msisdn) return undefined;
    const rows = await tx.em.execute<Candidate[]>(
      `select id, status, customer_phone from orders where seller_id = ?
         and created_at > now() - make_interval(hours => ?) and total_kes - amount_paid_kes = ?
         and (status = 'PENDING' or (status = 'CANCELLED' and cancel_reason = ?))
       order by created_at desc limit ?`,
      [sellerId, this.config.mpesa.c2bMatchWindowH, c.amountKes, PAYMENT_TIMEOUT, MAX_CANDIDATES + 1],
    );
    if (rows.length > MAX_CANDIDATES) return undefined;
    return pick(rows.filter((r) => phoneAgrees(c.msisdn, r.customer_phone)));
  }
}

/** Exactly one open candidate; else, with no open one, exactly one candidate at all; else none. */
function pick(rows: Candidate[]): string | undefined {
  const open = rows.filter((r) => r.status === 'PENDING');
  if (open.length) return open.length === 1 ? open[0].id : undefined;
  return rows.length === 1 ? rows[0].id : undefined;
}
