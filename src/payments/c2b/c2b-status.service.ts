import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';
import { type Tx, UnitOfWork } from '../../database/unit-of-work.js';
import { Payment } from '../entities/payment.entity.js';
import { keepCallback, keepQuery } from '../payment-log.js';
import { MpesaSettingsService } from '../mpesa-settings.service.js';
import { DarajaClient, DarajaError } from '../mpesa/daraja.client.js';
import { C2bAllocation } from './c2b-allocation.service.js';
import { CONFIRMATION_ACK, initiatorProblem, parseStatusResult, type StatusResult } from './c2b-shapes.js';
import { hashUrlToken, isUrlToken, statusResultUrl, statusTimeoutUrl } from './c2b-urls.js';

const BATCH = 20;
/** A request whose result never came is asked again after this long (doubling per attempt). */
const RETRY_BASE_S = 120;

interface Claimed {
  id: string;
  seller_id: string;
  mpesa_receipt: string;
  query_attempts: number;
}

/**
 * Confirms till and paybill payments that came from outside MPESA_CALLBACK_ALLOWED_IPS with Daraja's Transaction
 * Status API. The request names a result URL carrying a random id only we know (stored as its SHA-256, single use);
 * Daraja posts its answer there later. Only an answer that agrees (ResultCode 0, the same TransID) lets the payment
 * count, with Daraja's amount.
 */
@Injectable()
export class C2bStatusChecks {
  private readonly logger = new Logger(C2bStatusChecks.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly settings: MpesaSettingsService,
    private readonly daraja: DarajaClient,
    private readonly allocation: C2bAllocation,
    private readonly config: AppConfig,
  ) {}

  /** Asks about one payment now, in the background (the confirmation is answered first). */
  checkNow(paymentId: string): void {
    void this.claim('p.id = ?', [paymentId])
      .then(([c]) => (c ? this.ask(c) : undefined))
      .catch((error: unknown) => this.logger.error(`Transaction Status for ${paymentId} failed: ${String(error)}`));
  }

  /** The job's round: every unverified C2B payment whose next check is due. */
  async checkDue(): Promise<number> {
    const claimed = await this.claim('p.next_query_at <= now()', []);
    for (const c of claimed)
      await this.ask(c).catch((error: unknown) =>
        this.logger.error(`Transaction Status for ${c.id} failed: ${String(error)}`),
      );
    return claimed.length;
  }

  /** Daraja's result on our result URL: undefined when the id is not one we are waiting on (the route says 404). */
  async result(id: string, body: unknown): Promise<typeof CONFIRMATION_ACK | undefined> {
    if (!isUrlToken(id)) return undefined;
    const result = parseStatusResult(body);
    const found = await this.uow.run(async (tx) => {
      const payment = await tx.em.findOne(
        Payment,
        { statusCheckHash: hashUrlToken(id), method: 'C2B' },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!payment) return false;
      payment.statusCheckHash = null;
      const outcome = result ? await this.decide(tx, payment, result) : 'not a Transaction Status result';
      await this.log(tx, payment, body, result, outcome);
      return true;
    });
    return found ? CONFIRMATION_ACK : undefined;
  }

  /** Daraja queued the request past its time: ask again soon. */
  async timedOut(id: string): Promise<typeof CONFIRMATION_ACK | undefined> {
    if (!isUrlToken(id)) return undefined;
    const rows = await this.em.fork().execute<unknown[]>(
      `update payments set status_check_hash = null, next_query_at = now() + make_interval(secs => ?)
       where status_check_hash = ? and status = 'PENDING' returning id`,
      [RETRY_BASE_S, hashUrlToken(id)],
    );
    return rows.length ? CONFIRMATION_ACK : undefined;
  }

  private async decide(tx: Tx, payment: Payment, r: StatusResult): Promise<string> {
    if (payment.status !== 'PENDING' || payment.receiptVerified) return `late: payment already ${payment.status}`;
    const agrees =
      r.resultCode === 0 &&
      (!r.receipt || r.receipt === payment.mpesaReceipt) &&
      (!r.transactionStatus || /^completed$/i.test(r.transactionStatus));
    if (agrees) {
      const same = await tx.em.findOne(Payment, {
        sellerId: payment.sellerId,
        mpesaReceipt: payment.mpesaReceipt,
        receiptVerified: true,
        id: { $ne: payment.id },
      });
      if (same) {
        // Daraja sent the same money twice (an STK payment's own confirmation): it is counted once, there.
        Object.assign(payment, {
          status: 'COMPLETED',
          nextQueryAt: null,
          completedAt: new Date(),
          resultDesc: `The same M-Pesa transaction is payment ${same.id}; not counted twice`,
        });
        await tx.em.flush();
        return `confirmed, but already counted as payment ${same.id}`;
      }
      const claimed = payment.amountKes;
      // Daraja's amount, not the one in a confirmation anyone could have sent.
      if (r.amountKes !== null) Object.assign(payment, { amountKes: r.amountKes, expectedKes: r.amountKes });
      Object.assign(payment, { receiptVerified: true, nextQueryAt: null, decidedBy: 'confirmed' });
      await this.allocation.apply(tx, payment, { actor: 'mpesa', event: 'PAYMENT_RECEIVED' });
      return claimed !== payment.amountKes
        ? `confirmed with Daraja's amount ${payment.amountKes} (the confirmation said ${claimed}): ${payment.status}`
        : `confirmed: ${payment.status}`;
    }
    if (initiatorProblem(r)) {
      Object.assign(payment, {
        nextQueryAt: null,
        resultDesc: `Not confirmed yet: Daraja refused the initiator (${r.resultDesc}); fix the M-Pesa settings`,
      });
      await tx.em.flush();
      return 'initiator refused; waiting for new settings';
    }
    Object.assign(payment, {
      status: 'FAILED',
      nextQueryAt: null,
      completedAt: new Date(),
      resultCode: r.resultCode,
      resultDesc: `Daraja's Transaction Status did not confirm this payment: ${r.resultDesc || 'no description'}`,
    });
    await tx.em.flush();
    return 'refused: Daraja did not confirm it';
  }

  private claim(where: string, params: unknown[]): Promise<Claimed[]> {
    return this.em.fork().execute<Claimed[]>(
      `with due as (
         select p.id from payments p where p.method = 'C2B' and p.status = 'PENDING' and not p.receipt_verified
           and p.next_query_at is not null and ${where}
         order by p.next_query_at limit ? for no key update skip locked
       )
       update payments p set next_query_at = now() + make_interval(secs => ? * power(2, least(p.query_attempts, 10))),
         query_attempts = p.query_attempts + 1
       from due where p.id = due.id
       returning p.id, p.seller_id, p.mpesa_receipt, p.query_attempts`,
      [...params, BATCH, RETRY_BASE_S],
    );
  }

  private async ask(c: Claimed): Promise<void> {
    const creds = await this.settings.credentials(this.em.fork(), c.seller_id);
    if (!creds?.initiator) {
      await this.note(c.id, undefined, true, {
        text:
          'Cannot confirm it: add the initiator name and security credential to the M-Pesa settings (or let ' +
          "confirmations come from Daraja's addresses)",
      });
      return;
    }
    const id = randomBytes(24).toString('base64url');
    // The result URL works before Daraja can call it: the id is stored first.
    if (!(await this.note(c.id, hashUrlToken(id), false))) return;
    const base = this.config.publicBaseUrl;
    let failure: string | undefined;
    try {
      await this.daraja.transactionStatus(creds, {
        Initiator: creds.initiator.name,
        SecurityCredential: creds.initiator.securityCredential,
        CommandID: 'TransactionStatusQuery',
        TransactionID: c.mpesa_receipt,
        PartyA: creds.shortcode,
        IdentifierType: '4',
        ResultURL: statusResultUrl(base, id),
        QueueTimeOutURL: statusTimeoutUrl(base, id),
        Remarks: 'Payment check',
        Occasion: c.mpesa_receipt,
      });
    } catch (error) {
      failure = `Transaction Status request failed: ${error instanceof DarajaError ? error.message : String(error)}`;
    }
    await this.note(
      c.id,
      failure ? null : undefined,
      !!failure && c.query_attempts >= this.config.mpesa.queryMaxAttempts,
      {
        text: failure ?? "Asked Daraja's Transaction Status; its answer comes on the result URL",
      },
    );
  }

  /**
   * Writes the state of a check on a payment still waiting for one: the result id's hash (`hash`: a value sets it,
   * null clears it, undefined keeps it), whether to stop asking, and a line in the query log. False when the payment
   * no longer waits.
   */
  private note(paymentId: string, hash: string | null | undefined, stop: boolean, log?: { text: string }) {
    return this.uow.run(async (tx) => {
      const payment = await tx.em.findOne(Payment, { id: paymentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!payment || payment.status !== 'PENDING' || payment.receiptVerified) return false;
      if (hash !== undefined) payment.statusCheckHash = hash;
      if (stop) payment.nextQueryAt = null;
      if (log) {
        payment.resultDesc = log.text.slice(0, 300);
        await keepQuery(tx.em, { paymentId: payment.id, resultCode: null, resultDesc: log.text, definite: false });
      }
      await tx.em.flush();
      return true;
    });
  }

  private async log(
    tx: Tx,
    payment: Payment,
    body: unknown,
    r: StatusResult | undefined,
    outcome: string,
  ): Promise<void> {
    const resultCode = r?.resultCode ?? null;
    await keepCallback(tx.em, {
      sellerId: payment.sellerId,
      paymentId: payment.id,
      kind: 'c2b-status',
      resultCode,
      body,
      outcome,
      trusted: false,
    });
    await keepQuery(tx.em, {
      paymentId: payment.id,
      resultCode,
      resultDesc: r?.resultDesc ?? outcome,
      definite: !!r,
      response: body ?? null,
    });
  }
}
