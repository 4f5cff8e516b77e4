import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/unit-of-work.js';
import { DomainEvent } from '../../events/domain-event.js';
import { takesPayment } from '../../orders/order-state.js';
import { OrdersService } from '../../orders/orders.service.js';
import type { Payment } from '../entities/payment.entity.js';
import { kes, toPaymentEvent } from '../payment.mapper.js';

/** The order as OrdersService reads it, locked (its entity is the orders module's own). */
type Order = Awaited<ReturnType<OrdersService['find']>>;

/** The payment as the order's timeline names it. */
function paymentLabel(payment: Payment, amount: number, assignedBy?: string): string {
  const how =
    payment.method === 'MANUAL'
      ? 'recorded by hand (seen on the till)'
      : `paid to the till (${payment.channel === 'TILL' ? 'Buy Goods' : `paybill, account ${payment.accountNumber}`})`;
  return `${how}: M-Pesa ${payment.mpesaReceipt}, ${kes(amount)}` + (assignedBy ? `, assigned by ${assignedBy}` : '');
}

/**
 * Applies a till or paybill payment Daraja vouched for (or a seller assigned, or recorded by hand) to its order, with
 * the amount rules:
 * the amount due makes the order PAID; less is kept against it (amountPaidKes, what is still due); more makes it PAID
 * and flags the overpayment for a refund. An order the payment timeout cancelled reopens when its stock can still be
 * taken, else the payment is flagged. Runs in the caller's transaction, on a payment row the caller has locked.
 */
@Injectable()
export class C2bAllocation {
  constructor(private readonly orders: OrdersService) {}

  /**
   * `event`: PAYMENT_RECEIVED when the payment is first counted, PAYMENT_UPDATED when a payment already counted
   * (unmatched) is assigned to an order later.
   */
  async apply(
    tx: Tx,
    payment: Payment,
    how: { actor: string; event: 'PAYMENT_RECEIVED' | 'PAYMENT_UPDATED'; assignedBy?: string },
  ): Promise<void> {
    const amount = payment.amountKes ?? 0;
    Object.assign(payment, { status: 'COMPLETED', flagReason: null, completedAt: payment.completedAt ?? new Date() });
    let flag: string | undefined;
    let reference: string | null = null;
    if (!payment.orderId) {
      payment.resultDesc = 'Received; no order matched it: assign it to an order';
    } else {
      const order = await this.orders.find(tx.em, payment.sellerId, payment.orderId, true);
      reference = order.referenceCode;
      const label = paymentLabel(payment, amount, how.assignedBy);
      if (order.status === 'CANCELLED') {
        const reopened = await this.orders.reopenForPayment(tx, order, how.actor, `reopened: ${label}`);
        if (!reopened) flag = 'Paid after cancellation: refund or fulfil by hand';
      } else if (order.status !== 'PENDING' && takesPayment(order)) {
        flag = await this.collectAtDoor(tx, order, payment, amount, how.actor, label);
      } else if (order.status !== 'PENDING') {
        flag = `Paid, but the order was already ${order.status}: refund the customer`;
      }
      if (!flag && order.status === 'PENDING') {
        const due = order.totalKes - order.amountPaidKes;
        if (amount < due) {
          await this.orders.addPartPayment(tx, order, amount, how.actor, `${label}; ${kes(due - amount)} still due`);
          payment.resultDesc = `Part payment: ${kes(due - amount)} still due`;
        } else {
          await this.orders.applyPayment(tx, payment.sellerId, order.id, {
            mpesaReceipt: payment.mpesaReceipt ?? null,
            amountKes: amount,
            paidAt: new Date(),
            actor: how.actor,
            note: label,
          });
          if (amount > due) flag = `Overpaid by ${kes(amount - due)}: refund the customer`;
          payment.resultDesc = 'Applied to the order';
        }
      }
    }
    if (flag) Object.assign(payment, { status: 'FLAGGED', flagReason: flag });
    await tx.em.flush();
    await tx.publish(new DomainEvent(how.event, payment.sellerId, toPaymentEvent(payment, reference)));
    if (flag && how.event !== 'PAYMENT_UPDATED')
      await tx.publish(new DomainEvent('PAYMENT_UPDATED', payment.sellerId, toPaymentEvent(payment, reference)));
  }

  /**
   * Cash on delivery paid by M-Pesa at the door: counted toward the order as it stands (no move; it was confirmed
   * without payment). Beyond what is still to collect, the rest is flagged for a refund; nothing left, all of it.
   */
  private async collectAtDoor(
    tx: Tx,
    order: Order,
    payment: Payment,
    amount: number,
    actor: string,
    label: string,
  ): Promise<string | undefined> {
    const due = order.totalKes - order.amountPaidKes;
    if (due <= 0) return `Paid, but the order was already paid in full (${order.status}): refund the customer`;
    const rest = amount < due ? `; ${kes(due - amount)} still to collect` : '';
    await this.orders.collect(
      tx,
      order,
      payment.mpesaReceipt ?? null,
      amount,
      actor,
      `paid at the door, ${label}${rest}`,
    );
    payment.resultDesc = amount < due ? `Part payment: ${kes(due - amount)} still to collect` : 'Applied to the order';
    return amount > due ? `Overpaid by ${kes(amount - due)}: refund the customer` : undefined;
  }
}
