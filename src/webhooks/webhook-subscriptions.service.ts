import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
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
    private readonly orm: MikroORM,
  ) {}

  private readonly logger = new Logger(WebhookSubscriptions.name);

  changed(kind: string, subscriptionId: string): void {
    this.engine.forget(kind, subscriptionId);
  }

  /**
   * Inside the caller's transaction; once it commits the engine is nudged, and a second later whatever an engine
   * paused in the moment of the switch (it read the subscription as off just before the commit) joins the line, so
   * nothing waits for the paused-delivery recheck.
   */
  async resume(
    em: EntityManager,
    kind: string,
    subscriptionId: string,
    afterCommit: (hook: () => void) => void,
  ): Promise<number> {
    const resumed = await this.store.resume(em, kind, subscriptionId, this.config.webhooks.maxAttempts);
    afterCommit(() => {
      this.engine.nudge();
      setTimeout(() => void this.adoptLatePauses(kind, subscriptionId), 1000).unref();
    });
    return resumed;
  }

  private async adoptLatePauses(kind: string, subscriptionId: string): Promise<void> {
    try {
      const em = this.orm.em.fork();
      if (await this.store.adoptPaused(em, kind, subscriptionId)) {
        await this.store.releaseStalled(em);
        this.engine.nudge();
      }
    } catch (error) {
      this.logger.warn(`adopting late pauses of ${kind} ${subscriptionId} failed: ${String(error)}`);
    }
  }
}
