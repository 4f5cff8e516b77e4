import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
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
}
