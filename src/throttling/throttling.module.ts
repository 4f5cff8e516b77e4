import { Module } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { bearerApiKey } from '../auth/api-keys.service.js';
import { AppConfig } from '../config/app-config.js';
import { AppThrottlerGuard } from './app-throttler.guard.js';
import { RateLimitMetrics } from './rate-limit-metrics.service.js';
import { RateLimitStore, RateLimitStoreModule } from './rate-limit-store.module.js';
import { AddressList } from '../net/address-list.js';
import { AUTH_THROTTLE, CALLBACK_THROTTLE, ORDER_THROTTLE, SIGNUP_THROTTLE } from './auth-throttle.decorator.js';

/**
 * A general per-address limit on every route, a strict one on sign-in and sign-up, and one on public orders.
 * Counted in Redis when REDIS_URL is set (shared by every instance), else in this process (RateLimitStore).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStoreModule],
      inject: [AppConfig, RateLimitStore],
      useFactory: (config: AppConfig, store: RateLimitStore) => {
        const daraja = new AddressList(config.mpesa.callbackAllowedIps);
        return {
          storage: store.storage,
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
              skipIf: (ctx) => bearerApiKey(ctx.switchToHttp().getRequest<Request>().headers) === undefined,
              getTracker: (req: Record<string, unknown>) =>
                createHash('sha256')
                  .update(bearerApiKey((req as unknown as Request).headers) ?? '')
                  .digest('hex')
                  .slice(0, 32),
            },
            {
              name: 'signup',
              ttl: 3_600_000,
              limit: config.security.signupPerAddressPerHour,
              skipIf: (ctx) => !Reflect.getMetadata(SIGNUP_THROTTLE, ctx.getHandler()),
            },
            {
              // A leaked callback URL could be posted to without end; Safaricom's own addresses are exempt.
              name: 'callback',
              ttl: 60_000,
              limit: config.mpesa.callbackRateLimitPerMinute,
              skipIf: (ctx) =>
                !Reflect.getMetadata(CALLBACK_THROTTLE, ctx.getHandler()) ||
                daraja.has(ctx.switchToHttp().getRequest<Request>().ip),
            },
            {
              name: 'orders',
              ttl: 60_000,
              limit: config.orders.perMinutePerAddress,
              skipIf: (ctx) => !Reflect.getMetadata(ORDER_THROTTLE, ctx.getHandler()),
            },
          ],
        };
      },
    }),
  ],
  providers: [RateLimitMetrics, { provide: APP_GUARD, useClass: AppThrottlerGuard }],
})
export class ThrottlingModule {}
