import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { type Tx, UnitOfWork } from '../../database/unit-of-work.js';
import { newId } from '../../ids/ids.js';
import { MpesaSettings } from '../entities/mpesa-settings.entity.js';
import { Payment } from '../entities/payment.entity.js';
import { keepCallback } from '../payment-log.js';
import { C2bAllocation } from './c2b-allocation.service.js';
import { C2bMatcher } from './c2b-matcher.js';
import {
  type C2bConfirmation,
  CONFIRMATION_ACK,
  displayMsisdn,
  parseC2bConfirmation,
  VALIDATION_ACCEPT,
  VALIDATION_REJECT_ACCOUNT,
  type ValidationAnswer,
} from './c2b-shapes.js';
import { C2bStatusChecks } from './c2b-status.service.js';
import { hashUrlToken, isUrlToken } from './c2b-urls.js';

/** Daraja waits a few seconds for an answer; past this we answer anyway and let the work finish behind it. */
const ANSWER_WITHIN_MS = 4_000;

/**
 * Till and paybill confirmations and validations from Daraja. A confirmation is recorded once per shop by its TransID
 * and always answered in Daraja's format; from MPESA_CALLBACK_ALLOWED_IPS it counts at once, from anywhere else it
 * waits for Daraja's Transaction Status API to agree.
 */
@Injectable()
export class C2bIntake {
  private readonly logger = new Logger(C2bIntake.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly matcher: C2bMatcher,
    private readonly allocation: C2bAllocation,
    private readonly checks: C2bStatusChecks,
  ) {}

  /** The shop whose C2B token this is, with its validation switch. */
  private async shopForToken(token: string): Promise<{ sellerId: string; validation: boolean } | undefined> {
    if (!isUrlToken(token)) return undefined;
    const s = await this.em.fork().findOne(MpesaSettings, { c2bTokenHash: hashUrlToken(token) });
    return s ? { sellerId: s.sellerId, validation: s.c2bValidation } : undefined;
  }

  /**
   * A confirmation on `token`'s URL: undefined when the token is nobody's (404), else Daraja's acknowledgement within
   * ANSWER_WITHIN_MS whatever happens (the database down included).
   */
  async confirm(token: string, body: unknown, trusted: boolean): Promise<typeof CONFIRMATION_ACK | undefined> {
    const work = this.shopForToken(token).then(async (shop) => {
      if (!shop) return false;
      await this.record(shop.sellerId, body, trusted);
      return true;
    });
    const outcome = await Promise.race([
      work.catch((error: unknown) => {
        // The raw body goes to the log: with its TransID the payment can be recovered from the till statement.
        this.logger.error(`C2B confirmation could not be recorded: ${String(error)}; body ${JSON.stringify(body)}`);
        return true;
      }),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ANSWER_WITHIN_MS).unref()),
    ]);
    return outcome ? CONFIRMATION_ACK : undefined;
  }

  /**
   * Optional validation (c2bValidation): a paybill payment whose account number names no open order is refused so
   * the buyer's money goes back at once. Till payments, and anything we cannot decide in time (the database down
   * included), are accepted. Undefined when the token is nobody's (404).
   */
  async validate(token: string, body: unknown): Promise<ValidationAnswer | undefined> {
    const c = parseC2bConfirmation(body);
    const decide = async (): Promise<ValidationAnswer | undefined> => {
      const shop = await this.shopForToken(token);
      if (!shop) return undefined;
      if (!shop.validation || !c || c.channel !== 'PAYBILL') return VALIDATION_ACCEPT;
      const named = await this.uow.run((tx) => this.matcher.openOrderNamed(tx, shop.sellerId, c.accountNumber));
      return named ? VALIDATION_ACCEPT : VALIDATION_REJECT_ACCOUNT;
    };
    return Promise.race([
      decide().catch((error: unknown) => {
        this.logger.error(`C2B validation could not be decided (accepted): ${String(error)}`);
        return VALIDATION_ACCEPT;
      }),
      new Promise<ValidationAnswer>((resolve) =>
        setTimeout(() => resolve(VALIDATION_ACCEPT), ANSWER_WITHIN_MS).unref(),
      ),
    ]);
  }

  private async record(sellerId: string, body: unknown, trusted: boolean): Promise<void> {
    const c = parseC2bConfirmation(body);
    let check: string | undefined;
    try {
      check = await this.uow.run(async (tx) => {
        if (!c) {
          await this.keep(tx, sellerId, null, body, trusted, 'not a C2B confirmation (no TransID or amount)');
          return undefined;
        }
        const { paymentId, outcome, check: needsCheck } = await this.apply(tx, sellerId, c, trusted);
        await this.keep(tx, sellerId, paymentId, body, trusted, outcome);
        return needsCheck ? paymentId! : undefined;
      });
    } catch (error) {
      // Two deliveries of one TransID at once: the other one recorded it.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      await this.uow.run((tx) =>
        this.keep(tx, sellerId, null, body, trusted, 'repeat: recorded by a concurrent confirmation'),
      );
    }
    if (check) this.checks.checkNow(check);
  }

  private async apply(
    tx: Tx,
    sellerId: string,
    c: C2bConfirmation,
    trusted: boolean,
  ): Promise<{ paymentId: string | null; outcome: string; check: boolean }> {
    const seen = await tx.em.findOne(
      Payment,
      { sellerId, mpesaReceipt: c.transId, method: 'C2B' },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (seen) return this.repeat(tx, seen, c, trusted);
    const other = await tx.em.findOne(Payment, { sellerId, mpesaReceipt: c.transId, receiptVerified: true });
    if (other)
      return {
        paymentId: other.id,
        outcome: `already recorded as payment ${other.id} (${other.method})`,
        check: false,
      };
    const match = await this.matcher.match(tx, sellerId, c);
    const payment = tx.em.create(Payment, {
      id: newId('payment'),
      sellerId,
      orderId: match?.orderId ?? null,
      matchedBy: match?.by ?? null,
      method: 'C2B',
      status: 'PENDING',
      amountKes: c.amountKes,
      expectedKes: c.amountKes,
      ...this.facts(c),
      mpesaReceipt: c.transId,
      receiptVerified: trusted,
      rawCallback: null,
    });
    await tx.em.flush();
    const matched = match ? `matched by ${match.by}` : 'unmatched';
    if (trusted) {
      await this.allocation.apply(tx, payment, { actor: 'mpesa', event: 'PAYMENT_RECEIVED' });
      return { paymentId: payment.id, outcome: `recorded, ${matched}: ${payment.status}`, check: false };
    }
    Object.assign(payment, {
      resultDesc: "Recorded; waiting for Daraja's Transaction Status to confirm it",
      nextQueryAt: new Date(),
    });
    await tx.em.flush();
    return {
      paymentId: payment.id,
      outcome: `recorded only (not from Daraja's addresses), ${matched}; Transaction Status decides`,
      check: true,
    };
  }

  /** A TransID already recorded: nothing changes, except that Daraja's own word verifies an unverified record. */
  private async repeat(
    tx: Tx,
    seen: Payment,
    c: C2bConfirmation,
    trusted: boolean,
  ): Promise<{ paymentId: string; outcome: string; check: boolean }> {
    if (!trusted || seen.receiptVerified || seen.status !== 'PENDING')
      return { paymentId: seen.id, outcome: `repeat: payment already ${seen.status}`, check: false };
    // The facts come from Daraja now, not from whoever sent the first copy.
    Object.assign(seen, { amountKes: c.amountKes, expectedKes: c.amountKes, ...this.facts(c) });
    Object.assign(seen, { receiptVerified: true, statusCheckHash: null, nextQueryAt: null, decidedBy: 'callback' });
    const match = await this.matcher.match(tx, seen.sellerId, c);
    if (seen.matchedBy !== 'assigned')
      Object.assign(seen, { orderId: match?.orderId ?? null, matchedBy: match?.by ?? null });
    await this.allocation.apply(tx, seen, { actor: 'mpesa', event: 'PAYMENT_RECEIVED' });
    return { paymentId: seen.id, outcome: `confirmed by Daraja's own copy: ${seen.status}`, check: false };
  }

  private facts(c: C2bConfirmation): Pick<Payment, 'channel' | 'payerName' | 'accountNumber' | 'phone'> {
    return {
      channel: c.channel,
      payerName: c.payerName,
      accountNumber: c.accountNumber,
      phone: displayMsisdn(c.msisdn),
    };
  }

  private async keep(
    tx: Tx,
    sellerId: string,
    paymentId: string | null,
    body: unknown,
    trusted: boolean,
    outcome: string,
  ): Promise<void> {
    await keepCallback(tx.em, { sellerId, paymentId, kind: 'c2b-confirmation', body, outcome, trusted });
  }
}
