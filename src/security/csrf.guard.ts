import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC } from '../auth/access.decorators.js';
import type { AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must come from our own pages or the dashboard's origins (CORS_ORIGINS). Browsers send
 * `Sec-Fetch-Site` and `Origin` on cross-site requests; a server-to-server caller sends neither and is let through
 * (it cannot be tricked into sending the seller's cookie). Bearer tokens and API keys are never sent by a browser on
 * its own, so they are not checked. Runs after the JWT guard, so it knows how the caller signed in.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly allowed: Set<string>;

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    this.allowed = new Set([new URL(config.publicBaseUrl).origin, ...config.corsOrigins]);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if (SAFE_METHODS.has(req.method) || req.user?.via !== 'cookie') return true;
    if (this.fromAllowedOrigin(req)) return true;
    throw AppError.forbidden(
      'Cross-site request refused: this write must come from the SokoHub dashboard or an allowed origin',
    );
  }

  private fromAllowedOrigin(req: Request): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined) return origin !== 'null' && (this.allowed.has(origin) || origin === this.ownOrigin(req));
    // No Origin: a browser marks its own requests with Sec-Fetch-Site; anything cross-site without an Origin is
    // refused.
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }

  /** The origin this request was addressed to (the Integrations page is served by the API itself). */
  private ownOrigin(req: Request): string {
    return `${req.protocol}://${req.get('host') ?? ''}`;
  }
}
