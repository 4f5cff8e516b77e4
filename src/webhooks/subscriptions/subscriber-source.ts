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
}

/** What the engine needs at send time. */
export interface SigningTarget {
  active: boolean;
  secret: string;
  /** The previous secret during a rotation's grace period. */
  previousSecret?: string;
}

export type DeliveryOutcome = 'succeeded' | 'exhausted' | 'gone';

/**
 * One kind of subscriber (seller endpoints, partner hooks). The engine knows only this interface, so a new kind plugs
 * in by registering a source, without touching the outbox or the engine.
 */
export interface SubscriberSource {
  readonly kind: string;
  /** Runs inside the event's transaction (`tx.em`; `tx.memo` to look subscriptions up once per transaction). */
  resolve(event: DomainEvent, tx: Tx): Promise<DeliveryDraft[]>;
  /** Undefined when the subscription no longer exists. */
  target(subscriptionId: string, em: EntityManager): Promise<SigningTarget | undefined>;
  /** Called once a delivery is finished: success, all attempts failed, or 410 Gone. */
  onOutcome(subscriptionId: string, outcome: DeliveryOutcome, em: EntityManager): Promise<void>;
}
