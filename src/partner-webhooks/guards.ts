import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { AppConfig } from '../config/app-config.js';
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

/** `Authorization: Bearer <apiKey>` for the partner API. */
@Injectable()
export class PartnerStrategy extends PassportStrategy(BearerStrategy, 'partner') {
  constructor(private readonly companies: PartnerCompaniesService) {
    super();
  }

  async validate(token: string): Promise<PartnerPrincipal | false> {
    const companyId = await this.companies.authenticate(token);
    return companyId ? { companyId } : false;
  }
}

@Injectable()
export class PartnerAuthGuard extends AuthGuard('partner') {
  override handleRequest<T>(error: unknown, principal: T): T {
    if (error || !principal) throw AppError.unauthorized('Missing or invalid partner API key');
    return principal;
  }
}

export const CurrentPartner = createParamDecorator((_: unknown, ctx: ExecutionContext): PartnerPrincipal => {
  return ctx.switchToHttp().getRequest<Request & { user: PartnerPrincipal }>().user;
});
