import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { newId } from '../ids/ids.js';
import { OrdersService } from '../orders/orders.service.js';
import type { ManualPaymentDto, PaymentResponse } from './dto/payment.dto.js';
import { AfterCommit, type OrderPlacedEvent } from '../events/internal-events.js';
import { Payment } from './entities/payment.entity.js';
import { DarajaClient, DarajaError } from './mpesa/daraja.client.js';
import { CALLBACK_ACK, parseStkCallback, type StkCallbackResult } from './mpesa/daraja-shapes.js';
import { currentTraceParent, linkActiveSpan } from '../telemetry/trace-context.js';
import { PaymentJobsService } from './payment-jobs.service.js';
import { PaymentSettlement, UNMATCHED_CALLBACK } from './payment-settlement.service.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { C2bAllocation } from './c2b/c2b-allocation.service.js';
import { keepCallback } from './payment-log.js';
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
    private readonly allocation: C2bAllocation,
    private readonly settlement: PaymentSettlement,
    private readonly jobs: PaymentJobsService,
    private readonly config: AppConfig,
  ) {}

  /** After an MPESA order commits: record a pending payment, then ask Daraja to prompt the customer's phone. */
  @AfterCommit('order.placed')
  async onOrderPlaced({ orderId, sellerId, paymentMethod, stkPrompt }: OrderPlacedEvent): Promise<void> {
    // No prompt when the phone has had too many this hour: the order waits for a till payment.
    if (paymentMethod !== 'MPESA' || !stkPrompt) return;
    try {
      await this.startStkPush(sellerId, orderId);
    } catch (error) {
      this.logger.error(`STK push for ${orderId} failed: ${String(error)}`);
    }
  }

  /**
   * `mayPrompt` runs in the transaction that records the pending payment, before it (a prompt asked for again by the
   * buyer: its checks and the pending row are one step, so two clicks at once send one prompt).
   */
  async startStkPush(
    sellerId: string,
    orderId: string,
    mayPrompt?: (tx: Tx, phone: string) => Promise<void>,
  ): Promise<Payment | undefined> {
    const em = this.em.fork();
    const order = await this.orders.summary(em, sellerId, orderId);
    if (order.paymentMethod !== 'MPESA' || order.status !== 'PENDING') return undefined;
    const creds = await this.settings.credentials(em, sellerId);
    if (!creds) return undefined; // no Daraja credentials: the order waits for a payment recorded by hand
    const payment = await this.uow.run(async (t) => {
      await mayPrompt?.(t, order.customerPhone);
      const tx = t.em;
      const p = tx.create(Payment, {
        id: newId('payment'),
        traceParent: currentTraceParent(),
        sellerId,
        orderId,
        method: 'MPESA_STK',
        status: 'PENDING',
        expectedKes: order.totalKes,
        phone: order.customerPhone,
      });
      await tx.flush();
      return p;
    });
    try {
      const res = await this.daraja.stkPush(creds, {
        amountKes: order.totalKes,
        phone: order.customerPhone,
        reference: order.referenceCode,
        callbackUrl: creds.callbackUrl,
        description: `Order ${order.referenceCode}`,
      });
      const { stored, confirm } = await this.uow.run(async (tx) => {
        const p = await tx.em.findOneOrFail(Payment, { id: payment.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        p.checkoutRequestId = res.CheckoutRequestID;
        p.merchantRequestId = res.MerchantRequestID;
        // If no callback comes, the status query job asks Daraja after MPESA_QUERY_AFTER_S.
        p.nextQueryAt = new Date(Date.now() + this.config.mpesa.queryAfterS * 1000);
        await tx.em.flush();
        await tx.publish(new DomainEvent('PAYMENT_REQUESTED', sellerId, toPaymentEvent(p, order.referenceCode)));
        // A callback can beat this write (Daraja answers the push and calls back at once): apply those now.
        return { stored: p, confirm: await this.settlement.adoptEarly(tx, p) };
      });
      if (confirm) this.jobs.confirmNow(stored.id);
      return stored;
    } catch (error) {
      await this.uow.run(async (tx) => {
        const p = await tx.em.findOneOrFail(Payment, { id: payment.id });
        // Sellers read resultDesc: Daraja's own words when it refused the push, never our internals' error text.
        Object.assign(p, { status: 'FAILED', resultDesc: pushFailure(error), completedAt: new Date() });
        await tx.em.flush();
        await tx.publish(new DomainEvent('PAYMENT_FAILED', sellerId, toPaymentEvent(p, order.referenceCode)));
      });
      throw error;
    }
  }

  /**
   * Daraja's STK callback (`trusted`: from an allow-listed address). Applied and logged raw in one transaction before
   * we acknowledge; a
   * callback from outside MPESA_CALLBACK_ALLOWED_IPS is recorded and confirmed by a status query at once. One whose
   * payment is not stored yet (the push's answer not written) is kept and matched when the payment appears. Whatever
   * happens while applying it, the raw callback is kept and Daraja gets its acknowledgement, never a 500.
   */
  async handleCallback(sellerId: string, body: unknown, trusted: boolean): Promise<typeof CALLBACK_ACK> {
    const cb = parseStkCallback(body);
    let confirm: string | undefined;
    try {
      await this.uow.run(async (tx) => {
        const payment = cb
          ? await tx.em.findOne(
              Payment,
              { checkoutRequestId: cb.checkoutRequestId, sellerId },
              { lockMode: LockMode.PESSIMISTIC_WRITE },
            )
          : null;
        // The callback arrives in a trace of its own (Daraja's request): linked to the one that started the payment.
        linkActiveSpan(payment?.traceParent);
        const result = !cb
          ? { outcome: 'not an STK callback', confirm: false }
          : !payment
            ? { outcome: UNMATCHED_CALLBACK, confirm: false }
            : await this.settlement.applyCallback(tx, payment, cb, body, trusted);
        await this.keepCallback(tx, sellerId, payment?.id ?? null, cb, body, trusted, result.outcome);
        if (!payment) this.logger.warn(`M-Pesa callback for shop ${sellerId}: ${result.outcome}`);
        if (result.confirm) confirm = payment!.id;
      });
    } catch (error) {
      this.logger.error(`M-Pesa callback for shop ${sellerId} could not be applied: ${String(error)}`);
      await this.uow.run((tx) =>
        this.keepCallback(
          tx,
          sellerId,
          null,
          cb,
          body,
          trusted,
          'could not be applied; kept for reconciliation (the error is in the server log)',
        ),
      );
    }
    if (confirm) this.jobs.confirmNow(confirm);
    return CALLBACK_ACK;
  }

  private async keepCallback(
    tx: Tx,
    sellerId: string,
    paymentId: string | null,
    cb: StkCallbackResult | undefined,
    body: unknown,
    trusted: boolean,
    outcome: string,
  ): Promise<void> {
    await keepCallback(tx.em, {
      sellerId,
      paymentId,
      kind: 'stk',
      checkoutRequestId: cb?.checkoutRequestId,
      resultCode: cb?.resultCode,
      body,
      outcome,
      trusted,
    });
  }

  /**
   * A payment the seller saw on the till, with the till's amount rules (C2bAllocation). A receipt this shop already
   * recorded is 409 CONFLICT.
   */
  async recordManual(
    sellerId: string,
    orderId: string,
    dto: ManualPaymentDto,
    actor: string,
  ): Promise<PaymentResponse> {
    try {
      return await this.uow.run(async (tx) => {
        const order = await this.orders.summary(tx.em, sellerId, orderId);
        if (await tx.em.count(Payment, { sellerId, mpesaReceipt: dto.mpesaReceipt, receiptVerified: true }))
          throw AppError.conflict(`M-Pesa receipt ${dto.mpesaReceipt} has already been recorded`);
        const payment = tx.em.create(Payment, {
          id: newId('payment'),
          sellerId,
          orderId: order.id,
          method: 'MANUAL',
          status: 'PENDING',
          expectedKes: order.totalKes,
          amountKes: dto.amountKes,
          decidedBy: 'manual',
          phone: null,
          mpesaReceipt: dto.mpesaReceipt,
        });
        await tx.em.flush();
        // A payment seen on the till is a till payment: the same amount rules as one Daraja matched (the amount due
        // pays the order, less is kept against it with the rest still due, more is paid and flagged for a refund).
        await this.allocation.apply(tx, payment, { actor, event: 'PAYMENT_RECEIVED' });
        return toPaymentResponse(payment);
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw AppError.conflict(`M-Pesa receipt ${dto.mpesaReceipt} has already been recorded`);
      throw error;
    }
  }
}

/** What a seller reads when a push failed: Daraja's own refusal, or a plain sentence (details go to the log). */
function pushFailure(error: unknown): string {
  if (error instanceof DarajaError) return error.message.slice(0, 300);
  return (
    'The M-Pesa prompt could not be sent (Daraja unreachable or an error on our side); ' +
    'the order waits for a payment'
  );
}
