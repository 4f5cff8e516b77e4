import { defineEntity, p } from '@mikro-orm/core';

const WebhookEventSchema = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  properties: {
    id: p.string().primary(),
    sellerId: p.string(),
    name: p.string(),
    data: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime(),
  },
});

export class WebhookEvent extends WebhookEventSchema.class {}
WebhookEventSchema.setClass(WebhookEvent);
export { WebhookEventSchema };
