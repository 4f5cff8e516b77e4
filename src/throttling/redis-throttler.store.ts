import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The rate limits shared by every instance, counted in Redis by rate-limiter-flexible (one atomic script per hit,
 * O(1) whatever the limit). When Redis is not answering, each limit falls back to counting in this process's memory
 * (the library's insurance limiter): the API keeps answering, limits hold per instance instead of across them, and
 * `rate_limit_store_shared` (0/1 on /metrics) and a log line say so. Counting in Redis resumes when it is back.
 */
export class RedisThrottlerStore implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(
    private readonly redis: Redis,
    private readonly onShared: (shared: boolean) => void,
  ) {
    redis.on('ready', () => this.shared(true));
    redis.on('end', () => this.shared(false));
    redis.on('close', () => this.shared(false));
    redis.on('error', () => this.shared(false));
  }

  private sharedNow: boolean | undefined;

  private shared(value: boolean): void {
    if (this.sharedNow === value) return;
    this.sharedNow = value;
    this.onShared(value);
    if (value) this.logger.log('rate limits counted in Redis, shared by every instance');
    else this.logger.warn('Redis not answering: rate limits counted in this instance only until it is back');
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const limiter = this.limiter(throttlerName, ttl, limit, blockDuration);
    try {
      const res = await limiter.consume(key);
      return {
        totalHits: res.consumedPoints,
        timeToExpire: seconds(res.msBeforeNext),
        isBlocked: false,
        timeToBlockExpire: 0,
      };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        const wait = seconds(outcome.msBeforeNext);
        return { totalHits: outcome.consumedPoints, timeToExpire: wait, isBlocked: true, timeToBlockExpire: wait };
      }
      // Neither Redis nor the insurance answered: let the request through rather than fail it.
      this.logger.error(`rate limit check failed: ${String(outcome)}`);
      return { totalHits: 0, timeToExpire: seconds(ttl), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  private limiter(name: string, ttl: number, limit: number, blockDuration: number): RateLimiterRedis {
    const id = `${name}:${ttl}:${limit}:${blockDuration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const shape = { points: limit, duration: seconds(ttl), blockDuration: seconds(blockDuration) };
      limiter = new RateLimiterRedis({
        ...shape,
        storeClient: this.redis,
        keyPrefix: `sokohub:rl:${name}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(shape),
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
