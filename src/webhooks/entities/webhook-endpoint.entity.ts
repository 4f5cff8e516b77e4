import { defineEntity, p } from '@mikro-orm/core';

/** A seller's endpoint: where and what to send, and its (encrypted) signing secrets. */
const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: p.string().primary(),
    sellerId: p.string(),
    url: p.string(),
    description: p.string().nullable(),
    events: p.array(),
    secretEnc: p.string().hidden(),
    previousSecretEnc: p.string().nullable().hidden(),
    previousSecretExpiresAt: p.datetime().nullable(),
    isActive: p.boolean().default(true),
    disabledReason: p.string().nullable(),
    disabledAt: p.datetime().nullable(),
    /** SELLER (switched off by hand: nothing is recorded) or FAILURES (events are parked until switched back on). */
    disabledBy: p.enum(['SELLER', 'FAILURES'] as const).nullable(),
    parkedCount: p.integer().default(0),
    parkedDropped: p.integer().default(0),
    consecutiveFailures: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class WebhookEndpoint extends WebhookEndpointSchema.class {}
WebhookEndpointSchema.setClass(WebhookEndpoint);
export { WebhookEndpointSchema };
