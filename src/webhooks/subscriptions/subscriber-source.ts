import type { EntityManager } from '@mikro-orm/postgresql';
import type { Tx } from '../../database/unit-of-work.js';
import type { DomainEvent } from '../../events/domain-event.js';

/** What one subscription of some kind wants for one event: where, and the exact body it receives. */
export interface DeliveryDraft {
  subscriptionId: string;
  url: string;
  body: string;
  /** The event name this subscriber knows it by (partners have their own); defaults to the domain event's. */
  eventName?: string;
  /** Recorded but held: the subscription is off for now and keeps its events until it is switched back on. */
  parked?: boolean;
}

/** What the engine needs at send time. */
export interface SigningTarget {
  active: boolean;
  secret: string;
  /** The previous secret during a rotation's grace period. */
  previousSecret?: string;
  /** Target URLs switched off on their own while the subscription stays on (partner hooks count failures per URL). */
  inactiveUrls?: readonly string[];
  /** False when nothing counts failures right now, so a success has nothing to reset (saves a write per delivery). */
  failing?: boolean;
  /**
   * Where the subscription points now. A delivery goes to the URL it was queued for while that is still in the list,
   * else to the first one: a seller who fixes a dead URL gets the backlog, the retries and the redeliveries there.
   */
  urls: readonly string[];
  /** Set when this subscription may not receive this shop's events now (the shop revoked the company's access). */
  refusal?: string;
}

/** The URL a delivery queued for `queuedUrl` goes to now. */
export function currentUrl(target: SigningTarget, queuedUrl: string): string {
  return target.urls.length && !target.urls.includes(queuedUrl) ? target.urls[0] : queuedUrl;
}

export type DeliveryOutcome = 'succeeded' | 'exhausted' | 'gone';

/**
 * One kind of subscriber (seller endpoints, partner hooks). The engine knows only this interface, so a new kind plugs
 * in by registering a source, without touching the outbox or the engine.
 */
export interface SubscriberSource {
  readonly kind: string;
  /**
   * A scalar SQL sub-query (on this kind's own tables) whose value is a JSON array of every subscription of the shop.
   * The outbox reads every kind's in one statement, once per transaction, and hands each its own value back.
   */
  subscriptionsOf(sellerId: string): { sql: string; params: unknown[] };
  /** A scalar SQL sub-query (on this kind's own tables): how many subscriptions are switched off by failures. */
  disabledCountSql(): string;
  /** Runs inside the event's transaction with what `subscriptionsOf` found (`tx.em` for any write it needs). */
  resolve(event: DomainEvent, tx: Tx, subscriptions: unknown): Promise<DeliveryDraft[]>;
  /** Undefined when the subscription no longer exists; `sellerId` is the shop whose event is being sent. */
  target(subscriptionId: string, em: EntityManager, sellerId: string): Promise<SigningTarget | undefined>;
  /** Called once a delivery to `url` is finished: success, all attempts failed, or 410 Gone. Never for test sends. */
  onOutcome(subscriptionId: string, url: string, outcome: DeliveryOutcome, em: EntityManager): Promise<void>;
}
