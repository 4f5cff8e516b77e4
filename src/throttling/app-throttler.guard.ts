import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { AppError } from '../errors/app-error.js';
import type { Request } from 'express';
import { clientKey } from '../net/client-key.js';
import { RateLimitMetrics } from './rate-limit-metrics.service.js';

/** What each named limit tells the caller, in words a buyer or a seller understands. */
const MESSAGES: Record<string, string> = {
  default: 'Too many requests, back off and retry',
  auth: 'Too many sign-in attempts from your network. Wait a minute and try again',
  apikey: 'This API key has made too many requests this minute; slow down and retry',
  orders: 'Too many orders from your network in a short time. Please wait a minute and try again',
  signup: 'Too many new shops from your network this hour. Try again later',
  callback: 'Too many callbacks from this address',
};

/**
 * The per-address limits. Every limit counts by the client address (`req.ip`, which TRUST_PROXY decides), so a
 * forged X-Forwarded-For from an untrusted peer changes nothing. The sign-in limit counts per address whatever the
 * email (spraying many accounts from one address); per-account failures are counted by AuthService.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  // A property, so the library's own constructor (options, storage, reflector) stays as it is.
  @Inject(RateLimitMetrics) private readonly rateLimitMetrics!: RateLimitMetrics;

  /**
   * `limit:Controller.handler:client`: the limit's name leads, so the exception below can say which limit was hit.
   * Plain concatenation: the library's default hashes it with SHA-256, once per limit per request.
   */
  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return `${name}:${context.getClass().name}.${context.getHandler().name}:${suffix}`;
  }

  /** Each client is counted by its address, an IPv6 client by its /64 (one home network, not 2^64 allowances). */
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(clientKey((req as unknown as Request).ip));
  }

  /** Answered in the envelope with Retry-After, whichever limit was hit. */
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const name = detail.key.split(':')[0];
    this.rateLimitMetrics.refused(name);
    throw AppError.rateLimited(MESSAGES[name] ?? MESSAGES.default, detail.timeToBlockExpire);
  }
}
