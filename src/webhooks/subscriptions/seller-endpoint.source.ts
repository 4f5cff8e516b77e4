import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { SecretBox, secretRow } from '../../crypto/secret-box.js';
import type { Tx } from '../../database/unit-of-work.js';
import type { DomainEvent } from '../../events/domain-event.js';
import { isSellerEvent } from '../../events/event-catalogue.js';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';
import type { DeliveryDraft, DeliveryOutcome, SigningTarget, SubscriberSource } from './subscriber-source.js';
import { SubscriptionRegistry } from './subscription-registry.service.js';
import { countEndpointOutcome, takeParkingPlaces } from './endpoint-health.js';

export const SELLER_KIND = 'seller';

/** The reference's payload: `{event, sellerId, timestamp, data}`, in that order; a test send adds `test: true`. */
export function sellerBody(event: DomainEvent, test = false): string {
  const body = {
    event: event.name,
    sellerId: event.sellerId,
    timestamp: event.occurredAt.toISOString(),
    data: event.data,
  };
  return JSON.stringify(test ? { ...body, test: true } : body);
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

  /**
   * Active endpoints get the event; endpoints their failures switched off get it parked (up to the cap per off
   * period); endpoints the seller switched off get nothing.
   */
  /** Endpoints that take the shop's events now, or park them (switched off by their failures). */
  disabledCountSql(): string {
    return "select count(*) from webhook_endpoints where not is_active and disabled_by = 'FAILURES'";
  }

  subscriptionsOf(sellerId: string): { sql: string; params: unknown[] } {
    return {
      sql: `select coalesce(
              json_agg(json_build_object('id', id, 'url', url, 'active', is_active, 'events', events)), '[]')
            from webhook_endpoints where seller_id = ? and (is_active or disabled_by = 'FAILURES')`,
      params: [sellerId],
    };
  }

  async resolve(event: DomainEvent, tx: Tx, subscriptions: unknown): Promise<DeliveryDraft[]> {
    if (!isSellerEvent(event.name)) return [];
    const all = subscriptions as { id: string; url: string; active: boolean; events: string[] }[];
    const rows = all.filter((r) => r.events.includes(event.name));
    if (!rows.length) return [];
    const off = rows.filter((r) => !r.active).map((r) => r.id);
    const parked = off.length
      ? await takeParkingPlaces(tx, off, this.config.webhooks.parkedMaxPerEndpoint)
      : new Set<string>();
    const body = sellerBody(event);
    return rows
      .filter((r) => r.active || parked.has(r.id))
      .map((r) => ({ subscriptionId: r.id, url: r.url, body, parked: !r.active }));
  }

  async target(subscriptionId: string, em: EntityManager): Promise<SigningTarget | undefined> {
    const endpoint = await em.findOne(
      WebhookEndpoint,
      { id: subscriptionId },
      { populate: ['secretEnc', 'previousSecretEnc'] },
    );
    if (!endpoint) return undefined;
    const inGrace =
      endpoint.previousSecretEnc && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date();
    const row = secretRow('webhook_endpoints', endpoint.id);
    return {
      active: endpoint.isActive,
      secret: this.box.open(endpoint.secretEnc, row),
      previousSecret: inGrace ? this.box.open(endpoint.previousSecretEnc!, row) : undefined,
      failing: endpoint.consecutiveFailures > 0,
      urls: [endpoint.url],
    };
  }

  onOutcome(subscriptionId: string, _url: string, outcome: DeliveryOutcome, em: EntityManager): Promise<void> {
    return countEndpointOutcome(em, subscriptionId, outcome, this.config.webhooks.disableAfterFailures);
  }
}
