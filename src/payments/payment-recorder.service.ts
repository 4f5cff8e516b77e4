import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/unit-of-work.js';
import { DomainEvent } from '../events/domain-event.js';
import { OrdersService } from '../orders/orders.service.js';
import type { Payment } from './entities/payment.entity.js';
import { PaymentMetrics } from './payment-metrics.service.js';
import { toPaymentEvent } from './payment.mapper.js';

/**
 * The one place a received payment is applied, inside the caller's transaction: the right amount on a PENDING order
 * completes the payment and marks the order PAID; anything else (a different amount, an order cancelled or already
 * paid) is recorded and FLAGGED for the seller, never silently accepted or dropped.
 */
@Injectable()
export class PaymentRecorder {
  constructor(
    private readonly orders: OrdersService,
    private readonly metrics: PaymentMetrics,
  ) {}

  async received(
    tx: Tx,
    payment: Payment,
    facts: {
      amountKes: number;
      receipt: string | null;
      paidAt: Date;
      actor: string;
      decidedBy: 'callback' | 'confirmed' | 'query';
    },
  ): Promise<void> {
    payment.amountKes = facts.amountKes;
    payment.completedAt = new Date();
    payment.decidedBy = facts.decidedBy;
    if (payment.method === 'MPESA_STK')
      this.metrics.confirmationLag.observe(
        { decided_by: facts.decidedBy },
        (payment.completedAt.getTime() - payment.createdAt.getTime()) / 1000,
      );
    const order = payment.orderId ? await this.orders.summary(tx.em, payment.sellerId, payment.orderId) : undefined;
    let flag: string | undefined;
    if (order && facts.amountKes !== order.totalKes)
      flag = `Paid ${facts.amountKes} but the order total is ${order.totalKes}`;
    else if (order) {
      const applied = await this.orders.applyPayment(tx, payment.sellerId, order.id, {
        mpesaReceipt: facts.receipt,
        amountKes: facts.amountKes,
        paidAt: facts.paidAt,
        actor: facts.actor,
        note: facts.receipt ? `M-Pesa ${facts.receipt}` : 'M-Pesa payment confirmed by a status query',
      });
      if (!applied)
        flag =
          order.status === 'CANCELLED'
            ? 'Paid, but the order was cancelled'
            : `Paid, but the order was already ${order.status}`;
    }
    payment.status = flag ? 'FLAGGED' : 'COMPLETED';
    payment.flagReason = flag ?? null;
    await tx.em.flush();
    await tx.publish(
      new DomainEvent('PAYMENT_RECEIVED', payment.sellerId, toPaymentEvent(payment, order?.referenceCode ?? null)),
    );
    if (flag)
      await tx.publish(
        new DomainEvent('PAYMENT_UPDATED', payment.sellerId, toPaymentEvent(payment, order?.referenceCode ?? null)),
      );
  }
}
