import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service.js';
import { scrapeCache } from '../../metrics/scrape-cache.js';
import { SubscriptionRegistry } from '../subscriptions/subscription-registry.service.js';

interface Backlog {
  pending: number;
  oldest_pending_s: number;
  parked: number;
  oldest_due_s: number;
  /** Per subscriber kind (seller, partner): switched off by failures. */
  disabled: Record<string, number>;
}

/** An endpoint's answer as a bounded label: the class of its status, or none when no answer came. */
export function statusClass(code: number | null): string {
  return code === null ? 'none' : `${Math.floor(code / 100)}xx`;
}

/**
 * The delivery engine on /metrics: what operators ask first ("are webhooks going out, how late, to whom not"). No
 * label carries a shop, an endpoint or a URL.
 */
@Injectable()
export class DeliveryMetrics {
  readonly outcomes: Counter<'outcome'>;
  readonly responses: Counter<'status_class'>;
  readonly sendSeconds: Histogram<'outcome'>;
  readonly lagSeconds: Histogram;

  constructor(metrics: MetricsService, orm: MikroORM, sources: SubscriptionRegistry) {
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome (succeeded, retrying, failed, gone)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.responses = new Counter({
      name: 'webhook_delivery_responses_total',
      help: "Webhook delivery attempts by the endpoint's answer: its status class (2xx ... 5xx), or none (no answer)",
      labelNames: ['status_class'] as const,
      registers,
    });
    this.sendSeconds = new Histogram({
      name: 'webhook_send_duration_seconds',
      help: 'Time from request start to response (or error) per webhook attempt',
      labelNames: ['outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lagSeconds = new Histogram({
      name: 'webhook_delivery_lag_seconds',
      help: 'Delivery lag: from the event being committed to its first attempt',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
    const backlog = scrapeCache(async () => {
      // Each kind counts its own switched-off subscriptions, on its own tables.
      const kinds = sources.all();
      const [row] = await orm.em.fork().execute<(Backlog & Record<string, number>)[]>(
        `select (select count(*) from webhook_deliveries where status = 'PENDING')::int as pending,
           coalesce(extract(epoch from now() - (select min(created_at) from webhook_deliveries
             where status = 'PENDING')), 0)::float8 as oldest_pending_s,
           (select count(*) from webhook_deliveries where status = 'PAUSED')::int as parked,
           coalesce(extract(epoch from now() - (select min(next_attempt_at) from webhook_deliveries
             where status = 'PENDING' and next_attempt_at <= now())), 0)::float8 as oldest_due_s
           ${kinds.map((k, i) => `, (${k.disabledCountSql()})::int as disabled_${i}`).join('')}`,
      );
      return { ...row, disabled: Object.fromEntries(kinds.map((k, i) => [k.kind, row[`disabled_${i}`]])) };
    });
    new Gauge({
      name: 'webhook_deliveries_pending',
      help: 'Deliveries not yet delivered and still being tried (new, or waiting for a retry)',
      registers,
      async collect() {
        this.set((await backlog()).pending);
      },
    });
    new Gauge({
      name: 'webhook_oldest_pending_delivery_age_seconds',
      help: 'Age of the oldest delivery not yet delivered and still being tried (0: none)',
      registers,
      async collect() {
        this.set((await backlog()).oldest_pending_s);
      },
    });
    new Gauge({
      name: 'webhook_deliveries_parked',
      help: 'Deliveries held while their endpoint is switched off (sent when it is switched back on)',
      registers,
      async collect() {
        this.set((await backlog()).parked);
      },
    });
    new Gauge({
      name: 'webhook_oldest_due_delivery_age_seconds',
      help: 'How long the oldest delivery that is due has been waiting for an attempt (0: none waiting)',
      registers,
      async collect() {
        this.set((await backlog()).oldest_due_s);
      },
    });
    new Gauge({
      name: 'webhook_endpoints_disabled',
      help: 'Endpoints switched off by their failures (seller endpoints) or a dead URL (partner hooks)',
      labelNames: ['kind'] as const,
      registers,
      async collect() {
        for (const [kind, count] of Object.entries((await backlog()).disabled)) this.set({ kind }, count);
      },
    });
  }
}
