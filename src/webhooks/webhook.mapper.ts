import type { AttemptResponse, DeliveryResponse, WebhookResponse } from './dto/webhook.dto.js';
import type { WebhookAttempt } from './entities/webhook-attempt.entity.js';
import { type LoggedDelivery, toLoggedAttempt } from './delivery-log.service.js';
import type { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';

/** `parked`: how many deliveries wait for this endpoint to be switched back on. */
export function toWebhookResponse(e: WebhookEndpoint, parked = 0): WebhookResponse {
  return {
    id: e.id,
    url: e.url,
    description: e.description ?? null,
    events: e.events,
    isActive: e.isActive,
    disabledReason: e.disabledReason ?? null,
    disabledAt: e.disabledAt ?? null,
    disabledBy: e.isActive ? null : e.disabledBy === 'SELLER' ? 'seller' : 'failures',
    parkedDeliveries: parked,
    droppedDeliveries: e.parkedDropped,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export function toDeliveryResponse(d: LoggedDelivery): DeliveryResponse {
  return {
    id: d.id,
    eventId: d.eventId,
    event: d.eventName,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt : null,
    createdAt: d.createdAt,
    completedAt: d.completedAt,
    test: d.test,
  };
}

/**
 * An attempt as the delivery log shows it (the same shape the shared log reader gives). Without `revealSignatures`
 * (a VIEWER, a read-only key) signature values are masked: with them anyone could replay genuine signed events to
 * the seller's receiver.
 */
export function toAttemptResponse(a: WebhookAttempt, revealSignatures = true): AttemptResponse {
  const logged = toLoggedAttempt(a);
  return revealSignatures ? logged : { ...logged, requestHeaders: maskSignatures(logged.requestHeaders) };
}

const SIGNATURE_HEADER = /signature/i;

/** Signature headers keep their scheme (`sha256=`, `v1,`) and lose their value. */
export function maskSignatures(headers: Record<string, string> | null): Record<string, string> | null {
  if (!headers) return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SIGNATURE_HEADER.test(name)
        ? value
            .split(' ')
            .map((part) =>
              part.replace(/^(sha256=|v\d+[,=])?.*$/, (_m, scheme: string | undefined) => `${scheme ?? ''}***`),
            )
            .join(' ')
        : value,
    ]),
  );
}
