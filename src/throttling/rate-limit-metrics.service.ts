import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';

/** The named limits, the only values the `limit` label takes. */
export const LIMIT_NAMES = ['default', 'auth', 'apikey', 'orders', 'signup', 'callback'] as const;

@Injectable()
export class RateLimitMetrics {
  private readonly refusals: Counter<'limit'>;

  constructor(metrics: MetricsService) {
    this.refusals = new Counter({
      name: 'rate_limit_refusals_total',
      help: 'Requests refused with 429 by a per-address limit, by limit (default, auth, apikey, orders, signup, ...)',
      labelNames: ['limit'] as const,
      registers: [metrics.registry],
    });
  }

  refused(name: string): void {
    this.refusals.inc({ limit: (LIMIT_NAMES as readonly string[]).includes(name) ? name : 'other' });
  }
}
