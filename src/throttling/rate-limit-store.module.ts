import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { FixedWindowStore } from './fixed-window.store.js';
import { RedisThrottlerStore } from './redis-throttler.store.js';

/**
 * Where the rate limits are counted: Redis when REDIS_URL is set (shared by every instance), else this process's
 * memory (one instance: the embedded default needs nothing else).
 */
@Injectable()
export class RateLimitStore implements OnApplicationShutdown {
  readonly storage: ThrottlerStorage;
  private readonly redis?: Redis;

  constructor(config: AppConfig, metrics: MetricsService) {
    const shared = new Gauge({
      name: 'rate_limit_store_shared',
      help: '1 while rate limits are counted in Redis (shared by every instance), 0 while counted in this process only',
      registers: [metrics.registry],
    });
    shared.set(0);
    if (!config.redisUrl) {
      this.storage = new FixedWindowStore();
      return;
    }
    // Commands fail at once while disconnected (the insurance limiter answers), and reconnects go on in the background.
    this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.storage = new RedisThrottlerStore(this.redis, (on) => shared.set(on ? 1 : 0));
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}

@Module({ providers: [RateLimitStore], exports: [RateLimitStore] })
export class RateLimitStoreModule {}
