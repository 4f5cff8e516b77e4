import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SELLER_EVENT_CATALOGUE_JSON } from '../../src/events/event-docs.js';

/**
 * The request-path baseline: a bare NestJS 12 express app in its own process, one controller, no middleware, no
 * guards, no logging. It answers the same pre-serialised bytes as GET /api/webhooks/events, so the ratio is what our
 * stack costs around a route.
 */

@Controller()
class BareController {
  @Get('events')
  @Header('Content-Type', 'application/json; charset=utf-8')
  events(): string {
    return SELLER_EVENT_CATALOGUE_JSON;
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
