import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { DeliveryEngine } from './delivery/delivery.engine.js';
import { DeliveryStore } from './delivery/delivery.store.js';

/**
 * What a subscriber kind's own module tells the engine about its subscriptions (the engine knows no kind by name):
 * one was changed (drop what the engine cached of it), or switched back on (send what waited for it, in order).
 */
@Injectable()
export class WebhookSubscriptions {
  constructor(
    private readonly engine: DeliveryEngine,
    private readonly store: DeliveryStore,
    private readonly config: AppConfig,
  ) {}

  changed(kind: string, subscriptionId: string): void {
    this.engine.forget(kind, subscriptionId);
  }

  /** Inside the caller's transaction; the engine is nudged once it commits (pass the tx's afterCommit). */
  async resume(
    em: EntityManager,
    kind: string,
    subscriptionId: string,
    afterCommit: (hook: () => void) => void,
  ): Promise<number> {
    const resumed = await this.store.resume(em, kind, subscriptionId, this.config.webhooks.maxAttempts);
    if (resumed) afterCommit(() => this.engine.nudge());
    return resumed;
  }
}
