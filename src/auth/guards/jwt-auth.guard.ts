import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '../../errors/app-error.js';
import { isDatabaseUnavailable } from '../../errors/all-exceptions.filter.js';
import type { Request } from 'express';
import { IS_PUBLIC } from '../access.decorators.js';
import { ApiKeysService, bearerApiKey } from '../api-keys.service.js';
import type { AuthUser } from '../auth-user.js';

/** Every route needs a seller session unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
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
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    // The session could not be read (the database is restarting): that is a 503 to retry, not a signed-out seller.
    if (isDatabaseUnavailable(error)) throw error;
    if (error || !user) throw AppError.unauthorized('Missing or invalid auth token');
    return user;
  }
}
