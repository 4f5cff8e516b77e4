import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { OrdersService } from '../orders/orders.service.js';
import { DomainEvent } from '../events/domain-event.js';
import type { PaymentResponse } from './dto/payment.dto.js';
import { lockedPayment } from './payment-lock.js';
import { toPaymentEvent, toPaymentResponse } from './payment.mapper.js';

/**
 * A flagged payment the seller has dealt with (refunded an overpayment, fulfilled a late payment by hand, checked a
 * wrong amount with the buyer): marked resolved with what was done and who did it, so the review queue empties. The
 * payment stays FLAGGED for the record; nothing about the order or the money changes.
 */
@Injectable()
export class PaymentResolution {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrdersService,
  ) {}

  async resolve(user: AuthUser, paymentId: string, note: string): Promise<PaymentResponse> {
    return this.uow.run(async (tx) => {
      const payment = await lockedPayment(tx.em, user.sellerId, paymentId);
      if (payment.status !== 'FLAGGED')
        throw AppError.conflict(`Only flagged payments are resolved; this one is ${payment.status}`);
      if (payment.resolvedAt)
        throw AppError.conflict(`This payment was already resolved by ${payment.resolvedBy ?? 'someone'}`);
      Object.assign(payment, {
        resolvedAt: new Date(),
        resolvedBy: user.via === 'apiKey' ? `API key ${user.apiKeyId ?? ''}`.trim() : user.email,
        resolution: note,
      });
      await tx.em.flush();
      // The order's reference, as every other payment event names it.
      const order = payment.orderId ? await this.orders.summary(tx.em, user.sellerId, payment.orderId) : null;
      const event = toPaymentEvent(payment, order?.referenceCode ?? null);
      await tx.publish(new DomainEvent('PAYMENT_UPDATED', user.sellerId, event));
      return toPaymentResponse(payment);
    });
  }
}
