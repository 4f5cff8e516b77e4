import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/unit-of-work.js';
import { DomainEvent } from '../events/domain-event.js';
import { OrdersService } from '../orders/orders.service.js';
import type { Payment } from './entities/payment.entity.js';
import { parseStkCallback, type StkCallbackResult } from './mpesa/daraja-shapes.js';
import type { QueryOutcome } from './mpesa/daraja-shapes.js';
import { PaymentRecorder } from './payment-recorder.service.js';
import { toPaymentEvent } from './payment.mapper.js';

/** The outcome kept on a callback whose payment is not stored yet; adoptEarly looks for it. */
export const UNMATCHED_CALLBACK = 'unknown CheckoutRequestID: kept until its payment is stored';

export interface CallbackResult {
  outcome: string;
  /** A status query should confirm this payment now (an untrusted callback was recorded). */
  confirm: boolean;
}

/**
 * Every way a callback or a status query decides an STK payment, through the same checks: a success is applied only
 * with Daraja's word for it (a callback from an allow-listed address, or a status query), and whatever applies it
 * checks the amount and that the receipt is not already recorded elsewhere. Disagreements are FLAGGED, never dropped.
 * Runs inside the caller's transaction, on a payment row the caller has locked.
 */
@Injectable()
export class PaymentSettlement {
  constructor(
    private readonly recorder: PaymentRecorder,
    private readonly orders: OrdersService,
  ) {}

  async applyCallback(
    tx: Tx,
    payment: Payment,
    cb: StkCallbackResult,
    body: unknown,
    trusted: boolean,
  ): Promise<CallbackResult> {
    const done = (outcome: string): CallbackResult => ({ outcome, confirm: false });
    if (!trusted) return this.untrusted(tx, payment, cb);
    if (payment.status === 'COMPLETED' && payment.decidedBy === 'query')
      return done(await this.lateCallback(tx, payment, cb));
    if (payment.status === 'FAILED' && payment.decidedBy === 'query' && cb.resultCode === 0) {
      this.record(payment, cb, body);
      await this.settle(tx, payment, cb, 'callback');
      return done(`applied over a FAILED status query: ${payment.status}`);
    }
    if (payment.status !== 'PENDING') return done(`repeat: payment already ${payment.status}`);
    const earlier = payment.rawCallback ? parseStkCallback(payment.rawCallback) : undefined;
    if (earlier && !sameFacts(earlier, cb)) {
      return done(
        await this.flag(tx, payment, 'Two callbacks with different results arrived for this payment', cb.amount),
      );
    }
    this.record(payment, cb, body);
    if (cb.resultCode !== 0) return done(await this.fail(tx, payment, 'callback'));
    return done(await this.settle(tx, payment, cb, 'callback'));
  }

  /**
   * A callback from outside MPESA_CALLBACK_ALLOWED_IPS: anyone who learns the callback URL and a CheckoutRequestID
   * can send one, so it goes to the callback log only and never writes the payment's receipt, phone, amount or
   * result, nor flags it. A pending payment is confirmed with Daraja at once; a payment a status query already
   * completed may take its receipt from it, marked unverified.
   */
  private async untrusted(tx: Tx, payment: Payment, cb: StkCallbackResult): Promise<CallbackResult> {
    if (payment.status === 'PENDING')
      return { outcome: "recorded only (not from Daraja's addresses); a status query decides", confirm: true };
    if (payment.status === 'COMPLETED' && payment.decidedBy === 'query' && !payment.receiptVerified) {
      await this.pickUnverifiedReceipt(tx, payment, cb.resultCode === 0 ? cb.receipt : null);
      return { outcome: 'recorded; receipt taken as unverified where it is the only one', confirm: false };
    }
    return { outcome: `recorded only: payment already ${payment.status}`, confirm: false };
  }

  /**
   * The receipt of a payment Daraja's query confirmed without a trusted callback: the one receipt the success
   * callbacks named (unverified), or none when they named several (all listed) or it is already the shop's.
   */
  private async pickUnverifiedReceipt(tx: Tx, payment: Payment, also: string | null | undefined): Promise<void> {
    const rows = await tx.em.execute<{ receipt: string | null }[]>(
      `select (select i->>'Value' from jsonb_array_elements(body #> '{Body,stkCallback,CallbackMetadata,Item}') i
          where i->>'Name' = 'MpesaReceiptNumber') as receipt
       from payment_callbacks where payment_id = ? and result_code = 0`,
      [payment.id],
    );
    const receipts = [...new Set([...rows.map((r) => r.receipt), also].filter((r): r is string => !!r))];
    payment.receiptCandidates = receipts.length > 1 ? receipts : [];
    const only = receipts.length === 1 ? receipts[0] : null;
    payment.mpesaReceipt = only && !(await this.receiptUsed(tx, payment, only)) ? only : null;
    payment.receiptVerified = false;
    if (payment.mpesaReceipt && payment.orderId)
      await this.orders.fillReceipt(tx, payment.sellerId, payment.orderId, payment.mpesaReceipt);
    await tx.em.flush();
  }

  /**
   * Callbacks that arrived before this payment's CheckoutRequestID was stored, applied in the order they came.
   * Called after the push's answer is written and again before each status query, so a receipt is never lost.
   */
  async adoptEarly(tx: Tx, payment: Payment): Promise<boolean> {
    if (!payment.checkoutRequestId) return false;
    const early = await tx.em.execute<{ id: string; body: unknown; trusted: boolean }[]>(
      `select id, body, trusted from payment_callbacks where seller_id = ? and checkout_request_id = ?
       and payment_id is null and outcome = ? order by received_at for update`,
      [payment.sellerId, payment.checkoutRequestId, UNMATCHED_CALLBACK],
    );
    let confirm = false;
    for (const row of early) {
      const cb = parseStkCallback(row.body);
      if (!cb) continue;
      const applied = await this.applyCallback(tx, payment, cb, row.body, row.trusted);
      await tx.em.execute('update payment_callbacks set payment_id = ?, outcome = ? where id = ?', [
        payment.id,
        `matched once its payment was stored; ${applied.outcome}`,
        row.id,
      ]);
      confirm ||= applied.confirm;
    }
    return confirm;
  }

  /**
   * A definite status-query answer for a PENDING payment; a success callback recorded earlier supplies amount and
   * receipt.
   */
  async applyQuery(tx: Tx, payment: Payment, answer: QueryOutcome): Promise<void> {
    payment.nextQueryAt = null;
    const cb = payment.rawCallback ? parseStkCallback(payment.rawCallback) : undefined;
    Object.assign(payment, { resultCode: answer.resultCode, resultDesc: answer.resultDesc });
    if (answer.resultCode === 0) {
      if (cb?.resultCode === 0) {
        await this.settle(tx, payment, cb, 'confirmed');
        return;
      }
      // Queries carry no amount or receipt: the push asked for exactly the expected amount. The receipt is the one an
      // untrusted callback named, unverified (a trusted callback arriving later replaces it).
      await this.pickUnverifiedReceipt(tx, payment, null);
      await this.recorder.received(tx, payment, {
        amountKes: payment.expectedKes,
        receipt: payment.mpesaReceipt ?? null,
        paidAt: new Date(),
        actor: 'mpesa-query',
        decidedBy: 'query',
      });
      return;
    }
    if (cb?.resultCode === 0) {
      await this.flag(
        tx,
        payment,
        `A callback said this payment succeeded but Daraja's status query says: ${answer.resultDesc}`,
        cb.amount,
      );
      return;
    }
    await this.fail(tx, payment, 'query');
  }

  /** A callback for a payment a status query already completed: it may only add the receipt, after the same checks. */
  private async lateCallback(tx: Tx, payment: Payment, cb: StkCallbackResult): Promise<string> {
    if (payment.mpesaReceipt && payment.receiptVerified) return 'repeat: payment already COMPLETED';
    if (cb.resultCode !== 0)
      return this.flag(tx, payment, `Daraja's status query said paid, but its callback says: ${cb.resultDesc}`);
    if (cb.amount !== payment.amountKes) {
      return this.flag(
        tx,
        payment,
        `Daraja's callback reports KES ${cb.amount ?? 'no amount'} but the payment was confirmed for KES ` +
          `${payment.amountKes}`,
      );
    }
    const receipt = cb.receipt ?? `UNKNOWN-${cb.checkoutRequestId}`;
    if (await this.receiptUsed(tx, payment, receipt))
      return this.flag(tx, payment, `Receipt ${receipt} was already recorded on another payment`);
    const replaced = payment.mpesaReceipt ?? null;
    Object.assign(payment, { mpesaReceipt: receipt, receiptVerified: true, receiptCandidates: [] });
    if (payment.orderId) await this.orders.setReceipt(tx, payment.sellerId, payment.orderId, receipt, replaced);
    await tx.em.flush();
    return 'receipt added to a payment a status query confirmed';
  }

  private async settle(
    tx: Tx,
    payment: Payment,
    cb: StkCallbackResult,
    decidedBy: 'callback' | 'confirmed',
  ): Promise<string> {
    const receipt = cb.receipt ?? `UNKNOWN-${cb.checkoutRequestId}`;
    // A paybill with registered C2B URLs reports an STK payment to both: the confirmation may have counted it first.
    const twin = await this.c2bTwin(tx, payment, receipt);
    if (twin) {
      Object.assign(payment, { status: 'COMPLETED', completedAt: new Date(), decidedBy, amountKes: cb.amount });
      payment.resultDesc = `The same M-Pesa transaction arrived first as till/paybill payment ${twin}; counted there`;
      await tx.em.flush();
      return `counted on payment ${twin}`;
    }
    // A receipt already used in this shop is never applied a second time: recorded and flagged for the seller.
    if (await this.receiptUsed(tx, payment, receipt))
      return this.flag(tx, payment, `Receipt ${receipt} was already recorded on another payment`, cb.amount);
    Object.assign(payment, { mpesaReceipt: receipt, receiptVerified: true, receiptCandidates: [] });
    await this.recorder.received(tx, payment, {
      amountKes: cb.amount ?? 0,
      receipt,
      paidAt: cb.transactionDate ?? new Date(),
      actor: 'mpesa',
      decidedBy,
    });
    return `applied: ${payment.status}`;
  }

  private async fail(tx: Tx, payment: Payment, decidedBy: 'callback' | 'query'): Promise<string> {
    Object.assign(payment, { status: 'FAILED', completedAt: new Date(), decidedBy });
    await tx.em.flush();
    await tx.publish(
      new DomainEvent('PAYMENT_FAILED', payment.sellerId, toPaymentEvent(payment, await this.reference(tx, payment))),
    );
    return 'failed';
  }

  private async flag(tx: Tx, payment: Payment, reason: string, amountKes?: number | null): Promise<string> {
    Object.assign(payment, {
      status: 'FLAGGED',
      flagReason: reason,
      completedAt: payment.completedAt ?? new Date(),
      nextQueryAt: null,
    });
    if (amountKes !== undefined && amountKes !== null && payment.amountKes == null) payment.amountKes = amountKes;
    await tx.em.flush();
    await tx.publish(
      new DomainEvent('PAYMENT_UPDATED', payment.sellerId, toPaymentEvent(payment, await this.reference(tx, payment))),
    );
    return `flagged: ${reason}`;
  }

  private record(payment: Payment, cb: StkCallbackResult, body: unknown): void {
    Object.assign(payment, {
      rawCallback: body as Record<string, unknown>,
      resultCode: cb.resultCode,
      resultDesc: cb.resultDesc,
      phone: cb.phone ?? payment.phone,
    });
  }

  /** The C2B payment that already counted this receipt for the same order, if any. */
  private async c2bTwin(tx: Tx, payment: Payment, receipt: string): Promise<string | undefined> {
    if (!payment.orderId) return undefined;
    const rows = await tx.em.execute<{ id: string }[]>(
      `select id from payments where seller_id = ? and mpesa_receipt = ? and method = 'C2B' and receipt_verified
         and order_id = ? and id <> ? limit 1`,
      [payment.sellerId, receipt, payment.orderId, payment.id],
    );
    return rows[0]?.id;
  }

  /** A verified receipt is unique within the shop (another shop's receipts are none of this shop's business). */
  private async receiptUsed(tx: Tx, payment: Payment, receipt: string): Promise<boolean> {
    const rows = await tx.em.execute<unknown[]>(
      'select 1 from payments where seller_id = ? and mpesa_receipt = ? and receipt_verified and id <> ? limit 1',
      [payment.sellerId, receipt, payment.id],
    );
    return rows.length > 0;
  }

  private async reference(tx: Tx, payment: Payment): Promise<string | null> {
    return payment.orderId ? (await this.orders.summary(tx.em, payment.sellerId, payment.orderId)).referenceCode : null;
  }
}

function sameFacts(a: StkCallbackResult, b: StkCallbackResult): boolean {
  return a.resultCode === b.resultCode && a.amount === b.amount && a.receipt === b.receipt;
}
