import { Module } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config.js';
import { AppThrottlerGuard } from './app-throttler.guard.js';
import { AUTH_THROTTLE, ORDER_THROTTLE } from './auth-throttle.decorator.js';

/**
 * A general per-address limit on every route, a strict one on sign-in and sign-up, and one on public orders.
 * Counters live in process memory: with N instances the effective limit is N times higher.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: 'default', ttl: 60_000, limit: config.rateLimit.perMinute },
          {
            name: 'auth',
            ttl: 60_000,
            limit: config.rateLimit.authPerMinute,
            skipIf: (ctx) => !Reflect.getMetadata(AUTH_THROTTLE, ctx.getHandler()),
          },
          {
            // Per seller API key as well as per address: one integration cannot use up a shop's whole allowance.
            name: 'apikey',
            ttl: 60_000,
            limit: config.rateLimit.apiKeyPerMinute,
            skipIf: (ctx) => apiKeyOf(ctx.switchToHttp().getRequest<Request>()) === undefined,
            getTracker: (req: Record<string, unknown>) => createHash('sha256').update(apiKeyOf(req as unknown as Request) ?? '').digest('hex').slice(0, 32),
          },
          {
            name: 'orders',
            ttl: 60_000,
            limit: config.orders.perMinutePerAddress,
            skipIf: (ctx) => !Reflect.getMetadata(ORDER_THROTTLE, ctx.getHandler()),
          },
        ],
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AppThrottlerGuard }],
})
export class ThrottlingModule {}

/** The seller API key a request carries, if any (read before authentication: the throttler guard runs first). */
function apiKeyOf(req: Request): string | undefined {
  return req.headers.authorization?.match(/^Bearer\s+(sk_\S+)$/)?.[1];
}
