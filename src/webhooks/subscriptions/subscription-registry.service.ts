import { Injectable } from '@nestjs/common';
import type { SubscriberSource } from './subscriber-source.js';

/** Every kind of subscriber, registered by its own module at start-up. */
@Injectable()
export class SubscriptionRegistry {
  private readonly sources = new Map<string, SubscriberSource>();

  register(source: SubscriberSource): void {
    if (this.sources.has(source.kind)) throw new Error(`subscriber kind ${source.kind} registered twice`);
    this.sources.set(source.kind, source);
  }

  all(): SubscriberSource[] {
    return [...this.sources.values()];
  }

  get(kind: string): SubscriberSource | undefined {
    return this.sources.get(kind);
  }
}
