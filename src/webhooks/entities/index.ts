import { WebhookEndpointSchema } from './webhook-endpoint.entity.js';
import { WebhookEventSchema } from './webhook-event.entity.js';
import { WebhookDeliverySchema } from './webhook-delivery.entity.js';
import { WebhookAttemptSchema } from './webhook-attempt.entity.js';

/** This module's tables, registered by its own module (MikroOrmModule.forFeature). */
export const WEBHOOKS_ENTITIES = [
  WebhookEndpointSchema,
  WebhookEventSchema,
  WebhookDeliverySchema,
  WebhookAttemptSchema,
];
