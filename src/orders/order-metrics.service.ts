import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AppError } from '../errors/app-error.js';
import { MetricsService } from '../metrics/metrics.service.js';

export type RefusalReason = 'stock' | 'limits' | 'not_found' | 'invalid' | 'idempotency' | 'other';

/** Why the API refused an order, as a bounded label. */
export function refusalReason(error: unknown): RefusalReason {
  if (!(error instanceof AppError)) return 'other';
  if (error.code === 'RATE_LIMITED') return 'limits';
  if (error.code === 'NOT_FOUND') return 'not_found';
  if (error.code === 'CONFLICT') return /stock/i.test(error.message) ? 'stock' : 'idempotency';
  if (error.code === 'VALIDATION_ERROR') return /at most/i.test(error.message) ? 'limits' : 'invalid';
  return 'other';
}

/** Orders on /metrics: placed by payment method, refused by reason (stock, the shop's and the API's limits, ...). */
@Injectable()
export class OrderMetrics {
  private readonly placed: Counter<'payment_method'>;
  private readonly refused: Counter<'reason'>;

  constructor(metrics: MetricsService) {
    this.placed = new Counter({
      name: 'orders_placed_total',
      help: 'Orders placed on storefronts, by payment method (replays of an Idempotency-Key not counted)',
      labelNames: ['payment_method'] as const,
      registers: [metrics.registry],
    });
    this.refused = new Counter({
      name: 'orders_refused_total',
      help: 'Orders refused, by reason: stock, limits (per phone, per address, units per line), not_found, invalid',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
  }

  /** Counts one placement attempt by how it ended. */
  async count<T extends { replayed: boolean; order: { paymentMethod: string } }>(place: () => Promise<T>): Promise<T> {
    try {
      const placed = await place();
      if (!placed.replayed) this.placed.inc({ payment_method: placed.order.paymentMethod });
      return placed;
    } catch (error) {
      this.refused.inc({ reason: refusalReason(error) });
      throw error;
    }
  }
}
