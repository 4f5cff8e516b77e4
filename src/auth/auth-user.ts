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

/** Who made a change, for the audit log: a person or an API key, and from which client address. */
export interface Actor {
  type: 'user' | 'key';
  id: string;
  email?: string;
  ip: string | null;
}

export function actorOf(user: AuthUser, ip: string | undefined): Actor {
  return user.via === 'apiKey'
    ? { type: 'key', id: user.apiKeyId ?? user.userId, ip: ip ?? null }
    : { type: 'user', id: user.userId, email: user.email, ip: ip ?? null };
}

/** The caller of this request as the audit log names them (routes behind the JWT guard only). */
export const RequestActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<Request & { user: AuthUser }>();
  return actorOf(req.user, req.ip);
});

/** The signed-in seller user of this request (routes behind the JWT guard only). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<Request & { user: AuthUser }>().user;
});
