import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import type { Tx } from '../../database/unit-of-work.js';
import { OrderLookup, type PaymentCandidate } from '../../orders/order-lookup.service.js';
import type { MatchedBy } from '../entities/payment.entity.js';
import { type C2bConfirmation, phoneAgrees, referenceLookup } from './c2b-shapes.js';

export interface Match {
  orderId: string;
  by: Exclude<MatchedBy, 'assigned'>;
}

/** More candidates than this for one amount in the window means the amount says nothing: no match. */
const MAX_CANDIDATES = 200;

/**
 * Finds the order a till or paybill payment pays, or none. Paybill: the account number names the order by its
 * reference, forgivingly. Till (or a paybill account naming nothing): an open order of the same amount due whose phone
 * agrees with the payer's visible digits, placed (or, cash on delivery on its way, moved) within C2B_MATCH_WINDOW_H;
 * exactly one candidate or none. Open orders (PENDING, or cash on delivery on its way: paid at the door) come first;
 * an order the payment timeout cancelled is a candidate only when no open one is.
 */
@Injectable()
export class C2bMatcher {
  constructor(
    private readonly config: AppConfig,
    private readonly lookup: OrderLookup,
  ) {}

  async match(tx: Tx, sellerId: string, c: C2bConfirmation): Promise<Match | undefined> {
    if (c.channel === 'PAYBILL') {
      const byRef = await this.byReference(tx, sellerId, c.accountNumber);
      if (byRef) return { orderId: byRef, by: 'reference' };
    }
    const byAmount = await this.byAmountAndPhone(tx, sellerId, c);
    return byAmount ? { orderId: byAmount, by: 'amount-and-phone' } : undefined;
  }

  /**
   * The open order (PENDING, or cash on delivery on its way) an account number names, for validation: undefined when
   * it names none.
   */
  async openOrderNamed(tx: Tx, sellerId: string, accountNumber: string | null): Promise<string | undefined> {
    const rows = await this.named(tx, sellerId, accountNumber);
    const open = rows.filter((r) => r.open);
    return open.length === 1 ? open[0].id : undefined;
  }

  private async byReference(tx: Tx, sellerId: string, accountNumber: string | null): Promise<string | undefined> {
    const rows = await this.named(tx, sellerId, accountNumber);
    return pick(rows);
  }

  /** Orders of the shop an account number may name ("SKH-2025-00042", "2025-00042", "00042", "42"). */
  private named(tx: Tx, sellerId: string, accountNumber: string | null): Promise<PaymentCandidate[]> {
    const ref = referenceLookup(accountNumber);
    if (!ref) return Promise.resolve([]);
    return this.lookup.byReference(tx, sellerId, ref.number, ref.kind === 'year-and-number' ? ref.year : undefined);
  }

  private async byAmountAndPhone(tx: Tx, sellerId: string, c: C2bConfirmation): Promise<string | undefined> {
    if (!c.msisdn) return undefined;
    const rows = await this.lookup.awaitingAmount(
      tx,
      sellerId,
      c.amountKes,
      this.config.mpesa.c2bMatchWindowH,
      MAX_CANDIDATES + 1,
    );
    if (rows.length > MAX_CANDIDATES) return undefined;
    return pick(rows.filter((r) => phoneAgrees(c.msisdn, r.customerPhone)));
  }
}

/** Exactly one open candidate; else, with no open one, exactly one candidate at all; else none. */
function pick(rows: PaymentCandidate[]): string | undefined {
  const open = rows.filter((r) => r.open);
  if (open.length) return open.length === 1 ? open[0].id : undefined;
  return rows.length === 1 ? rows[0].id : undefined;
}
