import { defineEntity, p } from '@mikro-orm/core';

/** One HTTP attempt of a delivery, kept for the seller to read. */
const WebhookAttemptSchema = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempts',
  properties: {
    id: p.string().primary(),
    deliveryId: p.string(),
    attempt: p.integer(),
    startedAt: p.datetime(),
    durationMs: p.integer(),
    statusCode: p.integer().nullable(),
    error: p.string().nullable(),
    responseExcerpt: p.text().nullable(),
    requestHeaders: p.json<Record<string, string>>().nullable(),
  },
});

export class WebhookAttempt extends WebhookAttemptSchema.class {}
WebhookAttemptSchema.setClass(WebhookAttempt);
export { WebhookAttemptSchema };
