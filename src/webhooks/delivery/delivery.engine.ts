import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { Cron, CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config.js';
import { inBatches } from '../../database/batches.js';
import { SubscriptionRegistry } from '../subscriptions/subscription-registry.service.js';
import { currentUrl, type SigningTarget } from '../subscriptions/subscriber-source.js';
import type { Span } from '@opentelemetry/api';
import { inSpan, SpanKind, traceHeaders } from '../../telemetry/trace-context.js';
import { DeliveryMetrics, statusClass } from './delivery-metrics.service.js';
import { type ClaimedDelivery, DeliveryStore } from './delivery.store.js';
import { decide } from './disposition.js';
import { HttpSender } from './http-sender.service.js';
import { KeyedLimiter } from './keyed-limiter.js';
import { RecordBatcher } from './record-batcher.js';
import { signRequest } from '../signer.js';

export const WEBHOOK_API_VERSION = '2025-06-01';
const USER_AGENT = 'SokoHub-Webhooks/1.0';
const TARGET_CACHE_MS = 1000;

/** Whether a subscription takes deliveries to `url` right now. */
function isOn(target: SigningTarget, url: string): boolean {
  return target.active && !target.inactiveUrls?.includes(url);
}

/**
 * Claims due deliveries and sends them: nudged right after a commit, and polled on an interval for retries and
 * anything a crashed instance left behind. Bounded concurrency overall and per subscription.
 */
@Injectable()
export class DeliveryEngine implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryEngine.name);
  private readonly limiter: KeyedLimiter;
  private readonly recorder: RecordBatcher;
  private readonly inFlight = new Map<
    string,
    { delivery: ClaimedDelivery; abort: AbortController; done: Promise<void> }
  >();
  /** Per subscription, per shop (a company-wide partner hook's grant differs by shop), for a second. */
  private readonly targets = new Map<string, Map<string, { target: SigningTarget | undefined; until: number }>>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private polling = false;
  private claiming?: Promise<void>;
  private pollAgain = false;
  private stopping = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly store: DeliveryStore,
    private readonly sender: HttpSender,
    private readonly registry: SubscriptionRegistry,
    private readonly metrics: DeliveryMetrics,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {
    const { perEndpointConcurrency: base, perEndpointMaxConcurrency, concurrency } = config.webhooks;
    // Each endpoint learns its own limit up to WEBHOOK_PER_ENDPOINT_MAX_CONCURRENCY, within a fair share of all slots.
    this.limiter = new KeyedLimiter(base, Math.max(base, perEndpointMaxConcurrency), concurrency);
    this.recorder = new RecordBatcher(store, () => orm.em.fork());
  }

  onApplicationBootstrap(): void {
    if (!this.config.webhooks.workerEnabled) return;
    this.scheduler.addInterval(
      'webhook-delivery-worker',
      setInterval(() => this.nudge(), this.config.webhooks.workerIntervalMs),
    );
    this.nudge();
  }

  /** Ask for a claim round soon; calls coalesce. */
  nudge(): void {
    if (this.stopping || !this.config.webhooks.workerEnabled) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    setImmediate(() => void this.poll());
  }

  /**
   * Resolves when this instance has finished an attempt of `deliveryId`, or after `ms` (the caller then reads the
   * row: another instance may have sent it). Nothing polls the database meanwhile.
   */
  attempted(deliveryId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const list = this.waiters.get(deliveryId) ?? [];
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      list.push(done);
      this.waiters.set(deliveryId, list);
    });
  }

  /** Deliveries being sent by this instance right now. */
  get activeCount(): number {
    return this.inFlight.size;
  }

  private poll(): Promise<void> {
    if (this.polling || this.stopping) return Promise.resolve();
    this.polling = true;
    this.claiming = this.claimRounds();
    return this.claiming;
  }

  private async claimRounds(): Promise<void> {
    try {
      do {
        this.pollAgain = false;
        const free = this.config.webhooks.concurrency - this.inFlight.size;
        if (free <= 0) break;
        const want = Math.min(free, this.config.webhooks.batchSize);
        const batch = await this.store.claim(
          this.orm.em.fork(),
          want,
          this.config.webhooks.leaseMs,
          this.limiter.saturated(),
        );
        const overLimit: ClaimedDelivery[] = [];
        for (const delivery of batch) {
          if (this.limiter.tryAcquire(delivery.subscriptionId)) this.start(delivery);
          else overLimit.push(delivery);
        }
        // Over one subscription's limit: back to the queue, due at once; the next claim skips that subscription.
        await this.store.release(this.orm.em.fork(), overLimit);
        if (batch.length === want && overLimit.length < batch.length) this.pollAgain = true;
      } while (this.pollAgain && !this.stopping);
    } catch (error) {
      this.logger.error(`claim failed: ${String(error)}`);
    } finally {
      this.polling = false;
    }
  }

  private start(delivery: ClaimedDelivery): void {
    const abort = new AbortController();
    const sample: { value?: { ms: number; ok: boolean } } = {};
    // One span per attempt, in the trace of the request that made the event (and linked to it): an order's story
    // goes on to every delivery of it, in whichever process and however much later it happens.
    const attributes = {
      'sokohub.event': delivery.eventName,
      'sokohub.event_id': delivery.eventId,
      'sokohub.delivery_id': delivery.id,
      'sokohub.subscriber_kind': delivery.subscriberKind,
      'sokohub.attempt': delivery.attempts + 1,
    };
    const done = inSpan(
      'webhook deliver',
      { kind: SpanKind.PRODUCER, from: delivery.traceParent, attributes },
      (span) => this.deliver(delivery, abort.signal, sample, span),
    )
      .catch((error: unknown) => this.logger.error(`delivery ${delivery.id} failed unexpectedly: ${String(error)}`))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        for (const wake of this.waiters.get(delivery.id) ?? []) wake();
        this.waiters.delete(delivery.id);
        // The send's time and result tune this subscription's concurrency.
        this.limiter.release(delivery.subscriptionId, sample.value);
        this.nudge();
      });
    this.inFlight.set(delivery.id, { delivery, abort, done });
  }

  private async deliver(
    delivery: ClaimedDelivery,
    signal: AbortSignal,
    sample: { value?: { ms: number; ok: boolean } },
    span: Span,
  ): Promise<void> {
    const source = this.registry.get(delivery.subscriberKind);
    // Forked only when a statement needs it: most sends read a cached target and record through the batcher.
    let forked: EntityManager | undefined;
    const em = (): EntityManager => (forked ??= this.orm.em.fork());
    const target = source ? await this.target(delivery, em) : undefined;
    if (!source || !target || target.refusal) {
      await this.recorder.record(
        delivery,
        {
          startedAt: new Date(),
          durationMs: 0,
          statusCode: null,
          error: target?.refusal ?? 'subscription no longer exists',
          responseExcerpt: null,
          requestHeaders: null,
        },
        { status: 'FAILED' },
      );
      return;
    }
    // Sent where the subscription points now, not where it pointed when the event happened.
    const url = currentUrl(target, delivery.url);
    if (!delivery.test && !isOn(target, url)) {
      // Read it again, uncached, before parking: it may have just been switched back on.
      this.forget(delivery.subscriberKind, delivery.subscriptionId);
      const fresh = await this.target(delivery, em);
      if (!fresh || !isOn(fresh, currentUrl(fresh, delivery.url))) {
        await this.store.pause(em(), delivery, this.config.webhooks.pausedRecheckMs);
        return;
      }
    }
    const attempt = delivery.attempts + 1;
    const startedAt = new Date();
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      'X-SokoHub-Event': delivery.eventName,
      'X-SokoHub-Event-Id': delivery.eventId,
      'X-SokoHub-Delivery-Id': delivery.id,
      'X-SokoHub-Webhook-Id': delivery.subscriptionId,
      'X-SokoHub-Attempt': String(attempt),
      'X-SokoHub-Triggered-At': delivery.occurredAt.toISOString(),
      'X-SokoHub-Shop-Id': delivery.sellerId,
      'X-SokoHub-Api-Version': WEBHOOK_API_VERSION,
      ...(delivery.test ? { 'X-SokoHub-Test': 'true' } : {}),
      // W3C traceparent: a receiver that uses OpenTelemetry continues the trace (recorded with the attempt).
      ...traceHeaders(),
      ...signRequest(delivery.body, delivery.eventId, startedAt, target.secret, target.previousSecret),
    };
    const result = await this.sender.post(url, delivery.body, headers, signal);
    if (signal.aborted && this.stopping) return; // shutdown released it; another instance or a restart sends it
    sample.value = {
      ms: result.durationMs,
      ok: result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300,
    };
    const decision = decide(result, attempt, delivery.maxAttempts, this.config.webhooks);
    span.setAttributes({
      'sokohub.outcome': decision.outcome,
      ...(result.statusCode !== null ? { 'http.response.status_code': result.statusCode } : {}),
    });
    this.metrics.outcomes.inc({ outcome: decision.outcome });
    this.metrics.responses.inc({ status_class: statusClass(result.statusCode) });
    if (attempt === 1 && !delivery.test)
      this.metrics.lagSeconds.observe(Math.max(0, (startedAt.getTime() - delivery.occurredAt.getTime()) / 1000));
    this.metrics.sendSeconds.observe({ outcome: decision.outcome }, result.durationMs / 1000);
    const recorded = await this.recorder.record(
      delivery,
      {
        startedAt,
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        error: result.error,
        responseExcerpt: result.excerpt,
        requestHeaders: headers,
        ...(url !== delivery.url ? { sentTo: url } : {}),
      },
      decision.disposition,
    );
    if (recorded && delivery.backlog)
      await this.store.releaseNext(em(), delivery.subscriberKind, delivery.subscriptionId);
    // A success only resets a failure count: skipped when the (fresh to a second) target says there is none.
    const noop = decision.sourceOutcome === 'succeeded' && target.failing === false;
    if (recorded && decision.sourceOutcome && !delivery.test && !noop) {
      await source.onOutcome(delivery.subscriptionId, url, decision.sourceOutcome, em());
      if (decision.sourceOutcome !== 'succeeded') this.forget(delivery.subscriberKind, delivery.subscriptionId);
    }
  }

  private async target(delivery: ClaimedDelivery, em: () => EntityManager): Promise<SigningTarget | undefined> {
    const key = `${delivery.subscriberKind}:${delivery.subscriptionId}`;
    const cached = this.targets.get(key)?.get(delivery.sellerId);
    if (cached && cached.until > Date.now()) return cached.target;
    const source = this.registry.get(delivery.subscriberKind)!;
    const target = await source.target(delivery.subscriptionId, em(), delivery.sellerId);
    if (this.targets.size > 10_000) this.targets.clear();
    const byShop = this.targets.get(key) ?? new Map<string, { target: SigningTarget | undefined; until: number }>();
    if (byShop.size > 1_000) byShop.clear();
    byShop.set(delivery.sellerId, { target, until: Date.now() + TARGET_CACHE_MS });
    this.targets.set(key, byShop);
    return target;
  }

  /** Drops a cached target after a change (toggle, rotation, auto-disable) so the next send reads it fresh. */
  forget(kind: string, subscriptionId: string): void {
    this.targets.delete(`${kind}:${subscriptionId}`);
  }

  /** A backlog line that stopped (an instance died mid-line) moves on within a minute. */
  @Cron(CronExpression.EVERY_MINUTE, { name: 'webhook-backlog-heal' })
  async healBacklogs(): Promise<number> {
    if (this.stopping || !this.config.webhooks.workerEnabled) return 0;
    const released = await this.store.releaseStalled(this.orm.em.fork());
    if (released) this.nudge();
    return released;
  }

  /** Old finished deliveries go after WEBHOOK_RETENTION_DAYS, in small batches so the queue never stalls. */
  @Cron(CronExpression.EVERY_HOUR, { name: 'webhook-retention' })
  async purgeOld(): Promise<number> {
    const olderThan = new Date(Date.now() - this.config.webhooks.retentionDays * 86_400_000);
    const total = await inBatches(1000, () => this.store.purge(this.orm.em.fork(), olderThan, 1000), {
      maxRounds: 1000,
      keepGoing: () => !this.stopping,
    });
    if (total) this.logger.log(`purged ${total} deliveries older than ${olderThan.toISOString()}`);
    return total;
  }

  /** Stop claiming; let in-flight sends finish up to the timeout; give back what is left. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', 'webhook-delivery-worker'))
      this.scheduler.deleteInterval('webhook-delivery-worker');
    // A claim in progress finishes first: its statements after the database closed would reopen it.
    await this.claiming?.catch(() => undefined);
    const pending = [...this.inFlight.values()];
    if (!pending.length) return;
    const timeout = new Promise((resolve) => setTimeout(resolve, this.config.webhooks.timeoutMs).unref());
    await Promise.race([Promise.all(pending.map((p) => p.done)), timeout]);
    const left = [...this.inFlight.values()];
    for (const p of left) p.abort.abort();
    await this.store
      .release(
        this.orm.em.fork(),
        left.map((p) => p.delivery),
      )
      .catch(() => undefined);
  }
}
