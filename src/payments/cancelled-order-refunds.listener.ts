import { Injectable } from '@nestjs/common';
import type { InternalEnvelope } from '../database/unit-of-work.js';
import { DomainEvent } from '../events/domain-event.js';
import { OnInternalEvent } from '../events/internal-events.js';
import { OrdersService } from '../orders/orders.service.js';
import { Payment } from './entities/payment.entity.js';
import { kes, toPaymentEvent } from './payment.mapper.js';

/**
 * An order cancelled after money came in for it (paid, or part paid at the till or at the door): each payment counted
 * toward it is flagged for a refund, in the cancel's transaction, so it waits in the seller's review queue until it
 * is marked dealt with. Before, the money was simply forgotten: nothing anywhere said a refund was owed.
 */
@Injectable()
export class CancelledOrderRefunds {
  constructor(private readonly orders: OrdersService) {}

  @OnInternalEvent('order.status-changed')
  async statusChanged({ payload: o, tx }: InternalEnvelope<'order.status-changed'>): Promise<void> {
    if (o.to !== 'CANCELLED') return;
    const paid = await tx.em.find(
      Payment,
      { sellerId: o.sellerId, orderId: o.orderId, status: 'COMPLETED', amountKes: { $gt: 0 } },
      { orderBy: { createdAt: 'asc' } },
    );
    if (!paid.length) return;
    const { referenceCode } = await this.orders.summary(tx.em, o.sellerId, o.orderId);
    for (const payment of paid)
      Object.assign(payment, {
        status: 'FLAGGED',
        flagReason: `The order was cancelled after this payment (${kes(payment.amountKes ?? 0)}): refund the customer`,
      });
    await tx.em.flush();
    for (const payment of paid)
      await tx.publish(new DomainEvent('PAYMENT_UPDATED', o.sellerId, toPaymentEvent(payment, referenceCode)));
  }
}
