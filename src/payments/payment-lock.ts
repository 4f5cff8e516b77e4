import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../errors/app-error.js';
import { isId } from '../ids/ids.js';
import { Payment } from './entities/payment.entity.js';

/** This shop's payment, locked for the caller's transaction; another shop's (or a malformed id) is a 404. */
export async function lockedPayment(em: EntityManager, sellerId: string, id: string): Promise<Payment> {
  const payment = isId('payment', id)
    ? await em.findOne(Payment, { id, sellerId }, { lockMode: LockMode.PESSIMISTIC_WRITE })
    : null;
  if (!payment) throw AppError.notFound('Payment');
  return payment;
}
