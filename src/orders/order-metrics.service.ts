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

/** Who placed it: a buyer on the storefront, or the shop's own staff (POST /api/orders/manual). */
export type OrderSourceLabel = 'storefront' | 'staff';

/**
 * Orders on /metrics: placed by payment method, refused by reason (stock, the shop's and the API's limits, ...), each
 * by source, so a seller's own refused entries do not read as buyers turned away.
 */
@Injectable()
export class OrderMetrics {
  private readonly placed: Counter<'payment_method' | 'source'>;
  private readonly refused: Counter<'reason' | 'source'>;

  constructor(metrics: MetricsService) {
    this.placed = new Counter({
      name: 'orders_placed_total',
      help: 'Orders placed, by payment method and source (storefront, staff); Idempotency-Key replays not counted',
      labelNames: ['payment_method', 'source'] as const,
      registers: [metrics.registry],
    });
    this.refused = new Counter({
      name: 'orders_refused_total',
      help: 'Orders refused by reason (stock, limits per phone, address or line, not_found, invalid) and source',
      labelNames: ['reason', 'source'] as const,
      registers: [metrics.registry],
    });
  }

  /** Counts one placement attempt by how it ended. */
  async count<T extends { replayed: boolean; order: { paymentMethod: string } }>(
    source: OrderSourceLabel,
    place: () => Promise<T>,
  ): Promise<T> {
    try {
      const placed = await place();
      if (!placed.replayed) this.placed.inc({ payment_method: placed.order.paymentMethod, source });
      return placed;
    } catch (error) {
      this.refused.inc({ reason: refusalReason(error), source });
      throw error;
    }
  }
}
