import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import type { DomainEventEnvelope, InternalEnvelope, Tx } from '../database/unit-of-work.js';
import { DOMAIN_EVENT_CHANNEL } from '../events/domain-event.js';
import { IN_TRANSACTION, OnInternalEvent } from '../events/internal-events.js';
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

  /** Reads the shop's subscriptions early, before an order takes its stock and reference locks (see 'shop.writing'). */
  @OnInternalEvent('shop.writing')
  async onShopWriting({ payload, tx }: InternalEnvelope<'shop.writing'>): Promise<void> {
    await this.subscriptions(tx, payload.sellerId);
  }

  @OnEvent(DOMAIN_EVENT_CHANNEL, IN_TRANSACTION)
  async onDomainEvent({ event, tx }: DomainEventEnvelope): Promise<void> {
    const sources = this.registry.all();
    const found = await this.subscriptions(tx, event.sellerId);
    const drafts = [];
    for (const [i, source] of sources.entries()) {
      for (const draft of await source.resolve(event, tx, found[i])) drafts.push({ ...draft, kind: source.kind });
    }
    if (!drafts.length) return;
    const { maxAttempts, pausedRecheckMs: recheckMs } = this.config.webhooks;
    // Written with the transaction's other held-back writes, in one round trip right before the commit.
    const { sql, params } = this.store.insertStatement(event, drafts, { maxAttempts, recheckMs });
    tx.writeLater(sql, params);
    if (drafts.some((d) => !d.parked)) tx.afterCommit(() => this.engine.nudge());
  }

  /** Every kind's subscriptions of this shop in one statement, once per transaction (an order publishes several). */
  private subscriptions(tx: Tx, sellerId: string): Promise<unknown[]> {
    return tx.memo(`subscriptions:${sellerId}`, async () => {
      const sources = this.registry.all();
      const parts = sources.map((s) => s.subscriptionsOf(sellerId));
      const [row] = await tx.sql<Record<string, unknown>>(
        `select ${parts.map((p, i) => `(${p.sql}) as s${i}`).join(', ')}`,
        parts.flatMap((p) => p.params),
      );
      return sources.map((_, i) => row[`s${i}`]);
    });
  }
}
