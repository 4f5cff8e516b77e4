import type { INestApplication } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Value } from 'typebox/value';
import type { DomainEventEnvelope } from '../../src/database/unit-of-work.js';
import { DOMAIN_EVENT_CHANNEL } from '../../src/events/domain-event.js';
import { dataSchemaOf } from '../../src/events/event-docs.js';

/**
 * Watches every domain event an app emits and checks its `data` against the catalogue's JSON Schema. Every e2e
 * test file boots through this, so every payload the suite makes the code emit is validated.
 */
export class PayloadCheck {
  readonly seen = new Set<string>();
  readonly invalid: string[] = [];

  constructor(app: INestApplication) {
    app.get(EventEmitter2).on(DOMAIN_EVENT_CHANNEL, ({ event }: DomainEventEnvelope) => {
      this.seen.add(event.name);
      const schema = dataSchemaOf(event.name);
      if (Value.Check(schema, event.data)) return;
      const errors = [...Value.Errors(schema, event.data)].map((e) => `${e.instancePath || '/'} ${e.message}`);
      this.invalid.push(`${event.name}: ${errors.join('; ')} in ${JSON.stringify(event.data)}`);
    });
  }

  assertValid(): void {
    if (this.invalid.length)
      throw new Error(`payloads that do not match the event catalogue:\n${this.invalid.join('\n')}`);
  }
}
