import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { bearerToken } from '../auth/bearer.js';
import { AppError } from '../errors/app-error.js';
import { PartnerCompaniesService } from './partner-companies.service.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Operator routes: `X-Admin-Token: $ADMIN_TOKEN`. With no token configured the routes do not exist (404). */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminToken;
    if (!expected) throw new NotFoundException();
    const given = context.switchToHttp().getRequest<Request>().header('x-admin-token') ?? '';
    // Compare digests so neither length nor content leaks through timing.
    if (!timingSafeEqual(digest(given), digest(expected)))
      throw AppError.unauthorized('Missing or invalid X-Admin-Token');
    return true;
  }
}

export interface PartnerPrincipal {
  companyId: string;
}

/**
 * `Authorization: Bearer <apiKey>` for the partner API: the key is looked up by its hash. This app's own guard, not
 * a strategy in passport's process-wide registry (two apps in one process each check their own database).
 */
@Injectable()
export class PartnerAuthGuard implements CanActivate {
  constructor(private readonly companies: PartnerCompaniesService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { user?: PartnerPrincipal }>();
    const token = bearerToken(req.headers);
    const companyId = token ? await this.companies.authenticate(token) : undefined;
    if (!companyId) throw AppError.unauthorized('Missing or invalid partner API key');
    req.user = { companyId };
    return true;
  }
}

export const CurrentPartner = createParamDecorator((_: unknown, ctx: ExecutionContext): PartnerPrincipal => {
  return ctx.switchToHttp().getRequest<Request & { user: PartnerPrincipal }>().user;
});
