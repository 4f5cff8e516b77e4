import { newId } from '../ids/ids.js';
import { type EventName, type EventPayloads } from './event-catalogue.js';

/** One thing that happened in a shop. Created inside the transaction that made it happen. */
export class DomainEvent<N extends EventName = EventName> {
  readonly id = newId('event');
  readonly occurredAt = new Date();

  constructor(
    readonly name: N,
    readonly sellerId: string,
    readonly data: EventPayloads[N],
  ) {}
}

/** The in-process channel every domain event travels on; listeners filter by `event.name`. */
export const DOMAIN_EVENT_CHANNEL = 'domain.event';
