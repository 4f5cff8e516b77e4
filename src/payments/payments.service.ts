import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { newId } from '../ids/ids.js';
import { ORDER_PLACED, type OrderPlaced } from '../orders/order-placement.service.js';
import { OrdersService } from '../orders/orders.service.js';
import type { ManualPaymentDto } from '../orders/dto/order.dto.js';
import type { PaymentResponse } from './dto/payment.dto.js';
import { Payment } from './entities/payment.entity.js';
import { DarajaClient } from './mpesa/daraja.client.js';
import { CALLBACK_ACK, parseStkCallback } from './mpesa/daraja-shapes.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { PaymentRecorder } from './payment-recorder.js';
import { toPaymentEvent, toPaymentResponse } from './payment.mapper.js';

/** M-Pesa payments: STK pushes for new orders, Daraja's callbacks, and payments a seller saw on the till. */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly settings: MpesaSettingsService,
    private readonly daraja: DarajaClient,
    private readonly orders: OrdersService,
    private readonly recorder: PaymentRecorder,
  ) {}

  /** After an MPESA order commits: record a pending payment, then ask Daraja to prompt the customer's phone. */
  @OnEvent(ORDER_PLACED, { async: true, promisify: true })
  async onOrderPlaced({ orderId, sellerId, paymentMethod }: OrderPlaced): Promise<void> {
    if (paymentMethod !== 'MPESA') return;
    try {
      await this.startStkPush(sellerId, orderId);
    } catch (error) {
      this.logger.error(`STK push for ${orderId} failed: ${String(error)}`);
    }
  }

  async startStkPush(sellerId: string, orderId: string): Promise<Payment | undefined> {
    const em = this.em.fork();
    const order = await this.orders.summary(em, sellerId, orderId);
    if (order.paymentMethod !== 'MPESA' || order.status !== 'PENDING') return undefined;
    const creds = await this.settings.credentials(em, sellerId);
    if (!creds) return undefined; // no Daraja credentials: the order waits for a payment recorded by hand
    const payment = await this.uow.run(async ({ em: tx }) => {
      const p = tx.create(Payment, { id: newId('payment'), sellerId, orderId, method: 'MPESA_STK', status: 'PENDING', expectedKes: order.totalKes, phone: order.customerPhone });
      await tx.flush();
      return p;
    });
    try {
      const res = await this.daraja.stkPush(creds, { amountKes: order.totalKes, phone: order.customerPhone, reference: order.referenceCode, callbackUrl: creds.callbackUrl, description: `Order ${order.referenceCode}` });
      return await this.uow.run(async (tx) => {
        const p = await tx.em.findOneOrFail(Payment, { id: payment.id });
        p.checkoutRequestId = res.CheckoutRequestID;
        p.merchantRequestId = res.MerchantRequestID;
        await tx.em.flush();
        await tx.publish(new DomainEvent('PAYMENT_REQUESTED', sellerId, toPaymentEvent(p, order.referenceCode)));
        return p;
      });
    } catch (error) {
      await this.uow.run(async (tx) => {
        const p = await tx.em.findOneOrFail(Payment, { id: payment.id });
        Object.assign(p, { status: 'FAILED', resultDesc: String(error instanceof Error ? error.message : error).slice(0, 500), completedAt: new Date() });
        await tx.em.flush();
        await tx.publish(new DomainEvent('PAYMENT_FAILED', sellerId, toPaymentEvent(p, order.referenceCode)));
      });
      throw error;
    }
  }

  /**
   * Daraja's STK callback. Stored and applied in one transaction before we acknowledge; the same callback twice
   * changes nothing the second time; an unknown CheckoutRequestID is acknowledged and logged, not a 500.
   */
  async handleCallback(sellerId: string, body: unknown): Promise<typeof CALLBACK_ACK> {
    const cb = parseStkCallback(body);
    if (!cb) {
      this.logger.warn(`M-Pesa callback for ${sellerId} is not an STK callback; acknowledged and ignored`);
      return CALLBACK_ACK;
    }
    await this.uow.run(async (tx) => {
      const payment = await tx.em.findOne(Payment, { checkoutRequestId: cb.checkoutRequestId, sellerId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!payment) {
        this.logger.warn(`M-Pesa callback for unknown CheckoutRequestID ${cb.checkoutRequestId} (shop ${sellerId}); acknowledged`);
        return;
      }
      if (payment.status !== 'PENDING') return; // a repeat: the first one decided
      Object.assign(payment, { rawCallback: body as Record<string, unknown>, resultCode: cb.resultCode, resultDesc: cb.resultDesc, phone: cb.phone ?? payment.phone });
      if (cb.resultCode !== 0) {
        Object.assign(payment, { status: 'FAILED', completedAt: new Date() });
        await tx.em.flush();
        const order = payment.orderId ? await this.orders.summary(tx.em, sellerId, payment.orderId) : undefined;
        await tx.publish(new DomainEvent('PAYMENT_FAILED', sellerId, toPaymentEvent(payment, order?.referenceCode ?? null)));
        return;
      }
      const receipt = cb.receipt ?? `UNKNOWN-${cb.checkoutRequestId}`;
      if (await tx.em.count(Payment, { mpesaReceipt: receipt })) {
        // A receipt already used elsewhere is never applied a second time: recorded and flagged for the seller.
        Object.assign(payment, { status: 'FLAGGED', amountKes: cb.amount, completedAt: new Date(), flagReason: `Receipt ${receipt} was already recorded on another payment` });
        await tx.em.flush();
        await tx.publish(new DomainEvent('PAYMENT_UPDATED', sellerId, toPaymentEvent(payment, null)));
        return;
      }
      payment.mpesaReceipt = receipt;
      await this.recorder.received(tx, payment, { amountKes: cb.amount ?? 0, receipt, paidAt: cb.transactionDate ?? new Date(), actor: 'mpesa' });
    });
    return CALLBACK_ACK;
  }

  /** A payment the seller saw on the till. A receipt already recorded anywhere is 409 CONFLICT. */
  async recordManual(sellerId: string, orderId: string, dto: ManualPaymentDto, actor: string): Promise<PaymentResponse> {
    try {
      return await this.uow.run(async (tx) => {
        const order = await this.orders.summary(tx.em, sellerId, orderId);
        if (await tx.em.count(Payment, { mpesaReceipt: dto.mpesaReceipt })) throw AppError.conflict(`M-Pesa receipt ${dto.mpesaReceipt} has already been recorded`);
        const payment = tx.em.create(Payment, { id: newId('payment'), sellerId, orderId: order.id, method: 'MANUAL', status: 'PENDING', expectedKes: order.totalKes, phone: null, mpesaReceipt: dto.mpesaReceipt });
        await tx.em.flush();
        await this.recorder.received(tx, payment, { amountKes: dto.amountKes, receipt: dto.mpesaReceipt, paidAt: new Date(), actor });
        return toPaymentResponse(payment);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw AppError.conflict(`M-Pesa receipt ${dto.mpesaReceipt} has already been recorded`);
      throw error;
    }
  }
}
