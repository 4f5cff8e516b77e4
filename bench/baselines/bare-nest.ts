import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { readFileSync } from 'node:fs';
import { sellerEventCatalogue } from '../../src/events/event-docs.js';

/**
 * The request-path baseline: a bare NestJS 12 express app in its own process, one controller, no middleware, no
 * guards, no logging, answering through Nest's ordinary response path (the handler returns an object; Nest and
 * express serialise it). Routes:
 * - `GET /small`: a 300-byte object;
 * - `GET /events`: the same object as `GET /api/webhooks/events` (the event catalogue);
 * - `GET /same`: the JSON in the file named by BARE_SAME_BODY (the bench writes the body our route answered, so the
 *   baseline answers the same bytes).
 * Reproduce: `node dist/bench/baselines/bare-nest.js` with PORT set, then `npx autocannon -c 50 -d 10 <url>`.
 */
const SMALL = {
  id: 'prd_01JDQ6Y8Z5K2N3M4P5Q6R7S8T9',
  name: 'Kikoi beach towel',
  priceKes: 1500,
  stock: 42,
  status: 'ACTIVE',
  tags: ['kikoi', 'towel', 'cotton'],
  createdAt: '2026-12-01T09:30:00.000Z',
  description: 'Hand-woven cotton kikoi from Mombasa, 100 x 170 cm, in the colours of the coast, washed soft.',
};
const EVENTS = sellerEventCatalogue();
const SAME: unknown = process.env.BARE_SAME_BODY ? JSON.parse(readFileSync(process.env.BARE_SAME_BODY, 'utf8')) : {};

@Controller()
class BareController {
  @Get('small')
  small(): unknown {
    return SMALL;
  }

  @Get('events')
  events(): unknown {
    return EVENTS;
  }

  @Get('same')
  same(): unknown {
    return SAME;
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  console.log('ready');
}

void main();
