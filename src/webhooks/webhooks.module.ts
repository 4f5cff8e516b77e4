import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { DeliveryMetrics } from './delivery/delivery-metrics.js';
import { DeliveryEngine } from './delivery/delivery.engine.js';
import { DeliveryStore } from './delivery/delivery.store.js';
import { HttpSender } from './delivery/http-sender.js';
import { OutboxListener } from './outbox.listener.js';
import { SellerEndpointSource } from './subscriptions/seller-endpoint.source.js';
import { SubscriptionRegistry } from './subscriptions/subscription-registry.js';
import { WebhookDeliveriesService } from './webhook-deliveries.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Seller webhook endpoints, the outbox and the delivery engine every subscriber kind shares. */
@Module({
  imports: [HttpModule],
  controllers: [WebhooksController],
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
  ],
  // Other subscriber kinds (partner hooks) register with the registry and read the log through the store.
  exports: [SubscriptionRegistry, DeliveryEngine, DeliveryStore],
})
export class WebhooksModule {}
