import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SecretBox, secretRow } from '../../crypto/secret-box.js';
import type { Tx } from '../../database/unit-of-work.js';
import type { DomainEvent } from '../../events/domain-event.js';
import { isSellerEvent } from '../../events/event-catalogue.js';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';
import type { DeliveryDraft, DeliveryOutcome, SigningTarget, SubscriberSource } from './subscriber-source.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { countOutcome } from './failure-counter.js';

export const SELLER_KIND = 'seller';

/** The reference's payload: `{event, sellerId, timestamp, data}`, in that order. */
export function sellerBody(event: DomainEvent): string {
  return JSON.stringify({ event: event.name, sellerId: event.sellerId, timestamp: event.occurredAt.toISOString(), data: event.data });
}

/** Seller endpoints (`/api/webhooks`) as a kind of subscriber. */
@Injectable()
export class SellerEndpointSource implements SubscriberSource, OnModuleInit {
  readonly kind = SELLER_KIND;

  constructor(
    private readonly registry: SubscriptionRegistry,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async resolve(event: DomainEvent, tx: Tx): Promise<DeliveryDraft[]> {
    if (!isSellerEvent(event.name)) return [];
    const rows = await tx.memo(`seller-endpoints:${event.sellerId}:${event.name}`, () =>
      tx.em.execute<{ id: string; url: string }[]>('select id, url from webhook_endpoints where seller_id = ? and is_active and ? = any(events)', [event.sellerId, event.name]),
    );
    if (!rows.length) return [];
    const body = sellerBody(event);
    return rows.map((r) => ({ subscriptionId: r.id, url: r.url, body }));
  }

  async target(subscriptionId: string, em: EntityManager): Promise<SigningTarget | undefined> {
    const endpoint = await em.findOne(WebhookEndpoint, { id: subscriptionId }, { populate: ['secretEnc', 'previousSecretEnc'] });
    if (!endpoint) return undefined;
    const inGrace = endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date();
    const row = secretRow('webhook_endpoints', endpoint.id);
    return {
      active: endpoint.isActive,
      secret: this.box.open(endpoint.secretEnc, row),
      previousSecret: inGrace ? this.box.open(endpoint.previousSecretEnc!, row) : undefined,
    };
  }

  onOutcome(subscriptionId: string, outcome: DeliveryOutcome, em: EntityManager): Promise<void> {
    return countOutcome(em, 'webhook_endpoints', subscriptionId, outcome, this.config.webhooks.disableAfterFailures);
  }
}
