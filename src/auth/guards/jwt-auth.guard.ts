import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../../errors/app-error.js';
import { isDatabaseUnavailable } from '../../errors/all-exceptions.filter.js';
import type { Request } from 'express';
import { IS_PUBLIC } from '../access.decorators.js';
import { ApiKeysService, bearerApiKey } from '../api-keys.service.js';
import type { AuthUser } from '../auth-user.js';
import { SessionAuthenticator } from '../session-authenticator.js';

/** Every route needs a seller session (or a seller API key) unless marked @Public(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const bearer = bearerApiKey(req.headers);
    if (bearer) {
      // A seller API key: looked up by its hash; a revoked or unknown key is 401 at once.
      const user = await this.apiKeys.authenticate(bearer);
      if (!user) throw AppError.unauthorized('Invalid or revoked API key');
      req.user = user;
      return true;
    }
    let user: AuthUser | false;
    try {
      user = await this.sessions.authenticate(req);
    } catch (error) {
      // The session could not be read (the database is restarting): that is a 503 to retry, not a signed-out seller.
      if (isDatabaseUnavailable(error)) throw error;
      user = false;
    }
    if (!user) throw AppError.unauthorized('Missing or invalid auth token');
    req.user = user;
    return true;
  }
}
