import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../../metrics/metrics.service.js';

@Injectable()
export class DeliveryMetrics {
  readonly outcomes: Counter<'outcome'>;
  readonly sendSeconds: Histogram<'outcome'>;

  constructor(metrics: MetricsService) {
    this.outcomes = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts by outcome (succeeded, retrying, failed, gone)',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    this.sendSeconds = new Histogram({
      name: 'webhook_send_duration_seconds',
      help: 'Time from request start to response (or error) per webhook attempt',
      labelNames: ['outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
  }
}
