import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Page } from '../common/dto/pagination.dto.js';
import { AppError } from '../errors/app-error.js';
import { isId } from '../ids/ids.js';
import type { PaymentDetailResponse, PaymentQueryDto, PaymentResponse } from './dto/payment.dto.js';
import { Payment } from './entities/payment.entity.js';
import { toPaymentResponse } from './payment.mapper.js';

/** "Did this customer pay?" without the Safaricom portal: payments with every callback and status query behind them. */
@Injectable()
export class ReconciliationService {
  constructor(private readonly em: EntityManager) {}

  async list(sellerId: string, q: PaymentQueryDto): Promise<Page<PaymentResponse>> {
    const [rows, total] = await this.em.fork().findAndCount(
      Payment,
      {
        sellerId,
        ...(q.status ? { status: q.status } : {}),
        ...(q.orderId ? { orderId: q.orderId } : {}),
        // Waiting for the seller: no order, neither refused by Daraja nor the same money counted on another payment.
        ...(q.matched === false
          ? {
              orderId: null,
              status: q.status ?? { $ne: 'FAILED' as const },
              $or: [{ status: 'PENDING' as const }, { receiptVerified: true }],
            }
          : {}),
        ...(q.matched === true ? { orderId: { $ne: null } } : {}),
        ...(q.resolved === undefined ? {} : { resolvedAt: q.resolved ? { $ne: null } : null }),
      },
      {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: q.limit,
        offset: (q.page - 1) * q.limit,
      },
    );
    return { data: rows.map(toPaymentResponse), page: q.page, limit: q.limit, total };
  }

  async get(sellerId: string, id: string): Promise<PaymentDetailResponse> {
    const em = this.em.fork();
    const payment = isId('payment', id) ? await em.findOne(Payment, { id, sellerId }) : null;
    if (!payment) throw AppError.notFound('Payment');
    // Raw rows carry timestamps as PostgreSQL's text: made Dates below so the answer says them in the API's form.
    const [callbacks, queries] = await Promise.all([
      em.execute<{ received_at: string; result_code: number | null; outcome: string; body: unknown }[]>(
        `select received_at, result_code, outcome, body from payment_callbacks where payment_id = ?
         order by received_at`,
        [payment.id],
      ),
      em.execute<{ at: string; result_code: number | null; result_desc: string | null; definite: boolean }[]>(
        'select at, result_code, result_desc, definite from payment_queries where payment_id = ? order by at',
        [payment.id],
      ),
    ]);
    return {
      ...toPaymentResponse(payment),
      callbacks: callbacks.map((c) => ({
        receivedAt: new Date(c.received_at),
        resultCode: c.result_code,
        outcome: c.outcome,
        body: c.body,
      })),
      queries: queries.map((q) => ({
        at: new Date(q.at),
        resultCode: q.result_code,
        resultDesc: q.result_desc,
        definite: q.definite,
      })),
    };
  }
}
