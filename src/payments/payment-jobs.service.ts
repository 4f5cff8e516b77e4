import { inSpan, SpanKind } from '../telemetry/trace-context.js';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { OrdersService } from '../orders/orders.service.js';
import { Payment } from './entities/payment.entity.js';
import { DarajaClient } from './mpesa/daraja.client.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { PaymentSettlement } from './payment-settlement.service.js';
import { keepQuery } from './payment-log.js';
import { C2bStatusChecks } from './c2b/c2b-status.service.js';

const QUERY_BATCH = 20;
const QUERY_LEASE_S = 120;
const CONFIRM_SPACING_S = 3;
/** Callbacks that never matched a payment are kept this long for reconciliation, then purged. */
const UNMATCHED_CALLBACK_DAYS = 30;

interface Claimed {
  id: string;
  seller_id: string;
  checkout_request_id: string;
  query_claim_token: string;
  trace_parent: string | null;
}

/**
 * The jobs that make sure no payment is lost and no stock is held forever: STK status queries for payments whose
 * callback has not come, and cancelling MPESA orders left unpaid. Claims use SKIP LOCKED, so instances never query
 * the same payment at once.
 */
@Injectable()
export class PaymentJobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PaymentJobsService.name);
  private running = false;
  private round?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly daraja: DarajaClient,
    private readonly settings: MpesaSettingsService,
    private readonly settlement: PaymentSettlement,
    private readonly c2bChecks: C2bStatusChecks,
    private readonly orders: OrdersService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mpesa.jobsEnabled) return;
    this.scheduler.addInterval(
      'mpesa-jobs',
      setInterval(() => void this.tick(), this.config.mpesa.jobIntervalMs),
    );
  }

  /** No new round; a round in progress finishes before the database closes (its next statement would reopen it). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', 'mpesa-jobs')) this.scheduler.deleteInterval('mpesa-jobs');
    await this.round;
  }

  /** One round of both jobs; a round still running makes the next tick a no-op. */
  tick(): Promise<void> {
    if (this.running || this.stopping) return this.round ?? Promise.resolve();
    this.round = this.runRound();
    return this.round;
  }

  private async runRound(): Promise<void> {
    this.running = true;
    try {
      await this.queryDue();
      await this.c2bChecks.checkDue();
      await this.orders.cancelUnpaid(this.config.mpesa.orderPaymentTimeoutMin, 50);
      await this.purgeUnmatchedCallbacks();
    } catch (error) {
      this.logger.error(`M-Pesa jobs failed: ${String(error)}`);
    } finally {
      this.running = false;
    }
  }

  /** Callbacks that matched no payment for 30 days (junk or forgeries on a leaked URL) go, a batch per round. */
  async purgeUnmatchedCallbacks(): Promise<number> {
    const rows = await this.em.fork().execute<unknown[]>(
      `delete from payment_callbacks where id in (select id from payment_callbacks where payment_id is null
         and received_at < now() - make_interval(days => ?) limit 1000) returning id`,
      [UNMATCHED_CALLBACK_DAYS],
    );
    return rows.length;
  }

  /** Queries Daraja about every pending STK payment that is due; returns how many were queried. */
  async queryDue(): Promise<number> {
    const claimed = await this.claim('p.next_query_at <= now()', []);
    for (const c of claimed) {
      if (this.stopping) break;
      await this.queryOne(c).catch((error: unknown) =>
        this.logger.error(`status query of ${c.id} failed: ${String(error)}`),
      );
    }
    return claimed.length;
  }

  /**
   * Confirms one payment with Daraja now (an untrusted callback came): claimed like the job's own queries, so two
   * instances never ask twice, and run in the background so the callback is acknowledged at once.
   */
  confirmNow(paymentId: string): void {
    if (this.stopping) return;
    // Untrusted callbacks ask for this; a burst of them (a leaked URL) makes one query every few seconds, no more.
    const spaced = `p.id = ? and not exists (select 1 from payment_queries q where q.payment_id = p.id
      and q.at > now() - interval '${CONFIRM_SPACING_S} seconds')`;
    void this.claim(spaced, [paymentId])
      .then(async ([c]) => (c ? this.queryOne(c) : undefined))
      .catch((error: unknown) => this.logger.error(`status query of ${paymentId} failed: ${String(error)}`));
  }

  private claim(where: string, params: unknown[]): Promise<Claimed[]> {
    return this.em.fork().execute<Claimed[]>(
      `with due as (
         select p.id from payments p where p.status = 'PENDING' and p.checkout_request_id is not null and ${where}
         order by p.next_query_at limit ? for no key update skip locked
       )
       update payments p set next_query_at = now() + make_interval(secs => ?), query_claim_token = gen_random_uuid()
       from due where p.id = due.id
       returning p.id, p.seller_id, p.checkout_request_id, p.query_claim_token, p.trace_parent`,
      [...params, QUERY_BATCH, QUERY_LEASE_S],
    );
  }

  /** One status query, as a span in the payment's trace (linked to the request that started it). */
  private queryOne(c: Claimed): Promise<void> {
    const attributes = { 'sokohub.payment_id': c.id };
    return inSpan('mpesa status query', { kind: SpanKind.CLIENT, from: c.trace_parent, attributes }, () =>
      this.querySpanned(c),
    );
  }

  private async querySpanned(c: Claimed): Promise<void> {
    const creds = await this.settings.credentials(this.em.fork(), c.seller_id);
    if (!creds) return;
    const answer = await this.daraja.stkQuery(creds, c.checkout_request_id);
    await this.uow.run(async (tx) => {
      const payment = await tx.em.findOne(Payment, { id: c.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!payment) return;
      await keepQuery(tx.em, {
        paymentId: payment.id,
        resultCode: answer.resultCode,
        resultDesc: answer.resultDesc,
        definite: answer.definite,
        response: answer.raw ?? null,
      });
      // A callback that beat the push's answer may still be waiting: its receipt and amount decide with this answer.
      await this.settlement.adoptEarly(tx, payment);
      // A callback decided it meanwhile: a query never overwrites that.
      if (payment.status !== 'PENDING') return;
      payment.queryAttempts += 1;
      if (!answer.definite) {
        const attempts = payment.queryAttempts;
        const base = Math.max(this.config.mpesa.queryAfterS * 1000, this.config.mpesa.jobIntervalMs);
        payment.nextQueryAt =
          attempts >= this.config.mpesa.queryMaxAttempts ? null : new Date(Date.now() + base * 2 ** attempts);
        await tx.em.flush();
        return;
      }
      await this.settlement.applyQuery(tx, payment, answer);
    });
  }
}
