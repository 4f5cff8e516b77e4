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

/** An attempt as the delivery log shows it (the same shape the shared log reader gives). */
export function toAttemptResponse(a: WebhookAttempt): AttemptResponse {
  return toLoggedAttempt(a);
}
