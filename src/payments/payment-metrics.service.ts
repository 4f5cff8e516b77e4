import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';
import { scrapeCache } from '../metrics/scrape-cache.js';

interface Waiting {
  pending_past_query: number;
  flagged: number;
  unmatched: number;
}

/** M-Pesa on /metrics: how long confirmations take, and what is waiting for someone (no shop in any label). */
@Injectable()
export class PaymentMetrics {
  readonly confirmationLag: Histogram<'decided_by'>;

  constructor(metrics: MetricsService, orm: MikroORM) {
    const registers = [metrics.registry];
    this.confirmationLag = new Histogram({
      name: 'mpesa_confirmation_lag_seconds',
      help: 'From the STK push to the payment being decided, by what decided it (callback, query, confirmed)',
      labelNames: ['decided_by'] as const,
      buckets: [1, 5, 10, 20, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    const waiting = scrapeCache(async () => {
      const [row] = await orm.em.fork().execute<Waiting[]>(
        `select count(*) filter (where status = 'PENDING' and next_query_at < now() - interval '1 minute')::int
             as pending_past_query,
           count(*) filter (where status = 'FLAGGED' and resolved_at is null)::int as flagged,
           count(*) filter (where method = 'C2B' and order_id is null and status = 'COMPLETED')::int as unmatched
         from payments where status in ('PENDING', 'FLAGGED', 'COMPLETED') and created_at > now() - interval '30 days'`,
      );
      return row;
    });
    new Gauge({
      name: 'mpesa_payments_waiting',
      help:
        'Payments waiting for someone: pending_past_query (no answer past their status query time), flagged (for ' +
        'the seller, not yet marked dealt with), unmatched (till/paybill money no order claimed); last 30 days',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const w = await waiting();
        this.set({ state: 'pending_past_query' }, w.pending_past_query);
        this.set({ state: 'flagged' }, w.flagged);
        this.set({ state: 'unmatched' }, w.unmatched);
      },
    });
  }
}
