import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { newId } from '../ids/ids.js';
import { ORDER_PLACED, type OrderPlaced } from '../orders/order-placement.service.js';
import { OrdersService } from '../orders/orders.service.js';
import type { ManualPaymentDto } from '../orders/dto/order.dto.js';
import type { PaymentResponse } from './dto/payment.dto.js';
import { Payment } from './entities/payment.entity.js';
import { DarajaClient } from './mpesa/daraja.client.js';
import { CALLBACK_ACK, parseStkCallback, type StkCallbackResult } from './mpesa/daraja-shapes.js';
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
    private readonly config: AppConfig,
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
        // If no callback comes, the status query job asks Daraja after MPESA_QUERY_AFTER_S.
        p.nextQueryAt = new Date(Date.now() + this.config.mpesa.queryAfterS * 1000);
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
   * Daraja's STK callback. Logged raw, then applied in the same transaction before we acknowledge. A repeat changes
   * nothing; an unknown CheckoutRequestID is logged and acknowledged, not a 500. A FAILED decided by a status query
   * (queries have answered FAILED for payments that succeeded) is still overturned by a success callback, once.
   */
  async handleCallback(sellerId: string, body: unknown): Promise<typeof CALLBACK_ACK> {
    const cb = parseStkCallback(body);
    await this.uow.run(async (tx) => {
      const payment = cb ? await tx.em.findOne(Payment, { checkoutRequestId: cb.checkoutRequestId, sellerId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      const outcome = !cb ? 'not an STK callback' : !payment ? 'unknown CheckoutRequestID' : await this.applyCallback(tx, payment, cb, body);
      await tx.em.execute(
        'insert into payment_callbacks (id, seller_id, payment_id, checkout_request_id, result_code, body, outcome) values (?, ?, ?, ?, ?, ?::jsonb, ?)',
        [newId('callback'), sellerId, payment?.id ?? null, cb?.checkoutRequestId ?? null, cb?.resultCode ?? null, JSON.stringify(body ?? null), outcome],
      );
      if (!payment) this.logger.warn(`M-Pesa callback for shop ${sellerId}: ${outcome}; acknowledged and kept for audit`);
    });
    return CALLBACK_ACK;
  }

  private async applyCallback(tx: Tx, payment: Payment, cb: StkCallbackResult, body: unknown): Promise<string> {
    const overturnable = payment.status === 'FAILED' && payment.decidedBy === 'query' && cb.resultCode === 0;
    if (payment.status === 'COMPLETED' && payment.decidedBy === 'query' && !payment.mpesaReceipt && cb.resultCode === 0 && cb.receipt) {
      payment.mpesaReceipt = cb.receipt;
      if (payment.orderId) await this.orders.fillReceipt(tx, payment.sellerId, payment.orderId, cb.receipt);
      await tx.em.flush();
      return 'receipt added to a payment a status query confirmed';
    }
    if (payment.status !== 'PENDING' && !overturnable) return `repeat: payment already ${payment.status}`;
    Object.assign(payment, { rawCallback: body as Record<string, unknown>, resultCode: cb.resultCode, resultDesc: cb.resultDesc, phone: cb.phone ?? payment.phone, decidedBy: 'callback' });
    const order = payment.orderId ? await this.orders.summary(tx.em, payment.sellerId, payment.orderId) : undefined;
    if (cb.resultCode !== 0) {
      Object.assign(payment, { status: 'FAILED', completedAt: new Date() });
      await tx.em.flush();
      await tx.publish(new DomainEvent('PAYMENT_FAILED', payment.sellerId, toPaymentEvent(payment, order?.referenceCode ?? null)));
      return 'failed';
    }
    const receipt = cb.receipt ?? `UNKNOWN-${cb.checkoutRequestId}`;
    if (await tx.em.count(Payment, { mpesaReceipt: receipt })) {
      // A receipt already used elsewhere is never applied a second time: recorded and flagged for the seller.
      Object.assign(payment, { status: 'FLAGGED', amountKes: cb.amount, completedAt: new Date(), flagReason: `Receipt ${receipt} was already recorded on another payment` });
      await tx.em.flush();
      await tx.publish(new DomainEvent('PAYMENT_UPDATED', payment.sellerId, toPaymentEvent(payment, order?.referenceCode ?? null)));
      return 'flagged: receipt reused';
    }
    payment.mpesaReceipt = receipt;
    await this.recorder.received(tx, payment, { amountKes: cb.amount ?? 0, receipt, paidAt: cb.transactionDate ?? new Date(), actor: 'mpesa', decidedBy: 'callback' });
    return overturnable ? `applied over a FAILED status query: ${payment.status}` : `applied: ${payment.status}`;
  }

  /** A payment the seller saw on the till. A receipt already recorded anywhere is 409 CONFLICT. */
  async recordManual(sellerId: string, orderId: string, dto: ManualPaymentDto, actor: string): Promise<PaymentResponse> {
    try {
      return await this.uow.run(async (tx) => {
        const order = await this.orders.summary(tx.em, sellerId, orderId);
        if (await tx.em.count(Payment, { mpesaReceipt: dto.mpesaReceipt })) throw AppError.conflict(`M-Pesa receipt ${dto.mpesaReceipt} has already been recorded`);
        const payment = tx.em.create(Payment, { id: newId('payment'), sellerId, orderId: order.id, method: 'MANUAL', status: 'PENDING', expectedKes: order.totalKes, phone: null, mpesaReceipt: dto.mpesaReceipt });
        await tx.em.flush();
        await this.recorder.received(tx, payment, { amountKes: dto.amountKes, receipt: dto.mpesaReceipt, paidAt: new Date(), actor, decidedBy: 'manual' });
        return toPaymentResponse(payment);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw AppError.conflict(`M-Pesa receipt ${dto.mpesaReceipt} has already been recorded`);
      throw error;
    }
  }
}
