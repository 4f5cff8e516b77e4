import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { WebhookAttempt } from './entities/webhook-attempt.entity.js';
import { type DeliveryStatus, WebhookDelivery } from './entities/webhook-delivery.entity.js';

export interface LoggedAttempt {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  requestHeaders: Record<string, string> | null;
}

export interface LoggedDelivery {
  id: string;
  eventId: string;
  eventName: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  completedAt: Date | null;
  test: boolean;
  /** Every attempt, oldest first, when asked for. */
  attemptLog?: LoggedAttempt[];
}

export interface DeliveryLogQuery {
  offset: number;
  limit: number;
  status?: DeliveryStatus;
  eventName?: string;
  withAttempts?: boolean;
}

/**
 * The delivery log of one subscription, newest first, for every subscriber kind (seller endpoints, partner hooks):
 * the one reader of webhook_deliveries and webhook_attempts outside the engine.
 */
@Injectable()
export class DeliveryLogService {
  constructor(private readonly em: EntityManager) {}

  async page(
    kind: string,
    subscriptionId: string,
    q: DeliveryLogQuery,
  ): Promise<{ rows: LoggedDelivery[]; total: number }> {
    const em = this.em.fork();
    const where = {
      subscriberKind: kind,
      subscriptionId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.eventName ? { eventName: q.eventName } : {}),
    };
    const [deliveries, total] = await em.findAndCount(WebhookDelivery, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: q.limit,
      offset: q.offset,
    });
    const rows = deliveries.map(toLogged);
    if (q.withAttempts && rows.length) {
      const attempts = await this.attempts(
        em,
        rows.map((r) => r.id),
      );
      for (const row of rows) row.attemptLog = attempts.get(row.id) ?? [];
    }
    return { rows, total };
  }

  private async attempts(em: EntityManager, deliveryIds: string[]): Promise<Map<string, LoggedAttempt[]>> {
    const rows = await em.find(WebhookAttempt, { deliveryId: { $in: deliveryIds } }, { orderBy: { attempt: 'asc' } });
    const out = new Map<string, LoggedAttempt[]>();
    for (const a of rows) {
      const list = out.get(a.deliveryId) ?? [];
      list.push(toLoggedAttempt(a));
      out.set(a.deliveryId, list);
    }
    return out;
  }
}

export function toLogged(d: WebhookDelivery): LoggedDelivery {
  return {
    id: d.id,
    eventId: d.eventId,
    eventName: d.eventName,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode ?? null,
    lastError: d.lastError ?? null,
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    completedAt: d.completedAt ?? null,
    test: d.test,
  };
}

export function toLoggedAttempt(a: WebhookAttempt): LoggedAttempt {
  return {
    attempt: a.attempt,
    startedAt: a.startedAt,
    durationMs: a.durationMs,
    statusCode: a.statusCode ?? null,
    error: a.error ?? null,
    responseExcerpt: a.responseExcerpt ?? null,
    requestHeaders: a.requestHeaders ?? null,
  };
}
