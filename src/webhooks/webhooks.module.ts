import { MikroOrmModule } from '@mikro-orm/nestjs';
import { WEBHOOKS_ENTITIES } from './entities/index.js';
import { Module } from '@nestjs/common';
import { DeliveryMetrics } from './delivery/delivery-metrics.service.js';
import { DeliveryEngine } from './delivery/delivery.engine.js';
import { DeliveryStore } from './delivery/delivery.store.js';
import { HttpSender } from './delivery/http-sender.service.js';
import { OutboxListener } from './outbox.listener.js';
import { SellerEndpointSource } from './subscriptions/seller-endpoint.source.js';
import { SubscriptionRegistry } from './subscriptions/subscription-registry.service.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhookEventsController, WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';
import { DeliveryLogService } from './delivery-log.service.js';
import { WebhookSubscriptions } from './webhook-subscriptions.service.js';

/** Seller webhook endpoints, the outbox and the delivery engine every subscriber kind shares. */
@Module({
  imports: [MikroOrmModule.forFeature(WEBHOOKS_ENTITIES)],
  controllers: [WebhookEventsController, WebhooksController],
  providers: [
    SubscriptionRegistry,
    SellerEndpointSource,
    OutboxListener,
    DeliveryStore,
    DeliveryEngine,
    DeliveryMetrics,
    HttpSender,
    WebhooksService,
    WebhookDeliveriesService,
    DeliveryLogService,
    WebhookSubscriptions,
  ],
  // The public surface for other subscriber kinds (partner hooks): register a source, tell the engine about changes,
  // read the delivery log. The engine, the store and the tables stay inside.
  exports: [SubscriptionRegistry, WebhookSubscriptions, DeliveryLogService],
})
export class WebhooksModule {}
