import { defineEntity, p } from '@mikro-orm/core';

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED', 'PAUSED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event for one subscription: the unit the engine claims, sends and retries. */
const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: p.string().primary(),
    eventId: p.string(),
    sellerId: p.string(),
    subscriberKind: p.string(),
    subscriptionId: p.string(),
    eventName: p.string(),
    url: p.string(),
    body: p.text(),
    status: p.enum(DELIVERY_STATUSES),
    attempts: p.integer(),
    maxAttempts: p.integer(),
    nextAttemptAt: p.datetime(),
    claimToken: p.uuid().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.string().nullable(),
    createdAt: p.datetime(),
    completedAt: p.datetime().nullable(),
    test: p.boolean().default(false),
    backlog: p.boolean().default(false),
  },
});

export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
export { WebhookDeliverySchema };
