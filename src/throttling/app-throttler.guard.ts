import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import type { Request } from 'express';

/** Keys the strict `auth` limit on IP and email, so one address cannot spray passwords at one account. */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    if (name !== 'auth') return super.generateKey(context, suffix, name);
    const body = context.switchToHttp().getRequest<Request>().body as { email?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    return super.generateKey(context, `${suffix}:${email}`, name);
  }

  /** Named throttlers set `Retry-After-<name>`; clients expect the plain header whichever limit they hit. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    await super.throwThrottlingException(context, detail);
  }
}
