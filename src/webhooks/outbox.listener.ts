import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import type { DomainEventEnvelope } from '../database/unit-of-work.js';
import { DOMAIN_EVENT_CHANNEL } from '../events/domain-event.js';
import { DeliveryEngine } from './delivery/delivery.engine.js';
import { DeliveryStore } from './delivery/delivery.store.js';
import { SubscriptionRegistry } from './subscriptions/subscription-registry.service.js';

/**
 * The outbox: inside the transaction that made a change, turns its domain event into one event row and one delivery
 * row per subscription. Rolled back, nothing is sent; committed, it is sent even if the process dies right after.
 */
@Injectable()
export class OutboxListener {
  constructor(
    private readonly registry: SubscriptionRegistry,
    private readonly store: DeliveryStore,
    private readonly engine: DeliveryEngine,
    private readonly config: AppConfig,
  ) {}

  @OnEvent(DOMAIN_EVENT_CHANNEL, { promisify: true, suppressErrors: false })
  async onDomainEvent({ event, tx }: DomainEventEnvelope): Promise<void> {
    const drafts = [];
    for (const source of this.registry.all()) {
      for (const draft of await source.resolve(event, tx)) drafts.push({ ...draft, kind: source.kind });
    }
    if (!drafts.length) return;
    const { maxAttempts, pausedRecheckMs: recheckMs } = this.config.webhooks;
    // Written with the transaction's other held-back writes, in one round trip right before the commit.
    const { sql, params } = this.store.insertStatement(event, drafts, { maxAttempts, recheckMs });
    tx.writeLater(sql, params);
    if (drafts.some((d) => !d.parked)) tx.afterCommit(() => this.engine.nudge());
  }
}
