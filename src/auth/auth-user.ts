import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { type Role } from './entities/user.entity.js';

/** Who is calling, as the JWT strategy resolved it from the database. */
export interface AuthUser {
  userId: string;
  sellerId: string;
  role: Role;
  email: string;
  /** The session behind a JWT; absent for an API key. */
  sessionId?: string;
  /** How the caller proved who they are: a cookie is checked against cross-site requests, the others are not. */
  via: 'cookie' | 'bearer' | 'apiKey';
  /** What the credential allows: an API key may be read-only. */
  access: 'read' | 'full';
  /** The API key used, when via is apiKey. */
  apiKeyId?: string;
}

/** The signed-in seller user of this request (routes behind the JWT guard only). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthUser }>().user;
});
