import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { AppError } from '../../errors/app-error.js';
import { OrdersService } from '../../orders/orders.service.js';
import type { PaymentResponse } from '../dto/payment.dto.js';
import { toPaymentResponse } from '../payment.mapper.js';
import { lockedPayment } from '../payment-lock.js';
import { C2bAllocation } from './c2b-allocation.service.js';

/**
 * A seller applies a till or paybill payment that found no order to one of the shop's orders, with the same amount
 * rules as a matched payment; the order's timeline names who did it. A payment Daraja has not confirmed yet is linked
 * now and applied when it is confirmed.
 */
@Injectable()
export class PaymentAssignment {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrdersService,
    private readonly allocation: C2bAllocation,
  ) {}

  async assign(user: AuthUser, paymentId: string, orderId: string): Promise<PaymentResponse> {
    return this.uow.run(async (tx) => {
      const payment = await lockedPayment(tx.em, user.sellerId, paymentId);
      if (payment.method !== 'C2B')
        throw AppError.conflict('Only till and paybill payments are assigned; this one belongs to its order');
      if (payment.orderId) throw AppError.conflict(`This payment is already applied to order ${payment.orderId}`);
      if (payment.status === 'FAILED')
        throw AppError.conflict('Daraja did not confirm this payment: there is no money to assign');
      if (payment.status === 'COMPLETED' && !payment.receiptVerified)
        throw AppError.conflict('This M-Pesa transaction is already counted on another payment');
      const order = await this.orders.find(tx.em, user.sellerId, orderId, true);
      Object.assign(payment, { orderId: order.id, matchedBy: 'assigned' });
      if (payment.receiptVerified)
        await this.allocation.apply(tx, payment, {
          actor: user.userId,
          event: 'PAYMENT_UPDATED',
          assignedBy: user.email,
        });
      else {
        payment.resultDesc = "Assigned; applied once Daraja's Transaction Status confirms it";
        await tx.em.flush();
      }
      return toPaymentResponse(payment);
    });
  }
}
