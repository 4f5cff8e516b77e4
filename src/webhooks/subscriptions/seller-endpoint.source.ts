import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SecretBox } from '../../crypto/secret-box.js';
import type { DomainEvent } from '../../events/domain-event.js';
import { isSellerEvent } from '../../events/event-catalogue.js';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';
import type { DeliveryDraft, DeliveryOutcome, SigningTarget, SubscriberSource } from './subscriber-source.js';
import { SubscriptionRegistry } from './subscription-registry.js';

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

  async resolve(event: DomainEvent, em: EntityManager): Promise<DeliveryDraft[]> {
    if (!isSellerEvent(event.name)) return [];
    const rows = await em.execute<{ id: string; url: string }[]>(
      'select id, url from webhook_endpoints where seller_id = ? and is_active and ? = any(events)',
      [event.sellerId, event.name],
    );
    if (!rows.length) return [];
    const body = sellerBody(event);
    return rows.map((r) => ({ subscriptionId: r.id, url: r.url, body }));
  }

  async target(subscriptionId: string, em: EntityManager): Promise<SigningTarget | undefined> {
    const endpoint = await em.findOne(WebhookEndpoint, { id: subscriptionId }, { populate: ['secretEnc', 'previousSecretEnc'] });
    if (!endpoint) return undefined;
    const inGrace = endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date();
    return {
      active: endpoint.isActive,
      secret: this.box.open(endpoint.secretEnc),
      previousSecret: inGrace ? this.box.open(endpoint.previousSecretEnc!) : undefined,
    };
  }

  /** Counts deliveries that failed every attempt in a row; 8 (or a 410) disables the endpoint, a success resets it. */
  async onOutcome(subscriptionId: string, outcome: DeliveryOutcome, em: EntityManager): Promise<void> {
    if (outcome === 'succeeded') {
      await em.execute('update webhook_endpoints set consecutive_failures = 0 where id = ? and consecutive_failures > 0', [subscriptionId]);
      return;
    }
    const limit = this.config.webhooks.disableAfterFailures;
    const reason = outcome === 'gone' ? 'The endpoint answered 410 Gone' : `${limit} consecutive deliveries failed every attempt`;
    await em.execute(
      `update webhook_endpoints set
         consecutive_failures = consecutive_failures + 1,
         is_active = case when ? or consecutive_failures + 1 >= ? then false else is_active end,
         disabled_reason = case when is_active and (? or consecutive_failures + 1 >= ?) then ? else disabled_reason end,
         disabled_at = case when is_active and (? or consecutive_failures + 1 >= ?) then now() else disabled_at end
       where id = ?`,
      [outcome === 'gone', limit, outcome === 'gone', limit, reason, outcome === 'gone', limit, subscriptionId],
    );
  }
}
