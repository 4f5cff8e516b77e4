import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../../errors/app-error.js';
import { AppConfig } from '../../config/app-config.js';
import {
  ACCESS_POLICY,
  type AccessPolicy,
  DEFAULT_ACCESS,
  IS_PUBLIC,
  RECENT_PASSWORD,
  SESSION_ONLY,
} from '../access.decorators.js';
import { type AuthUser } from '../auth-user.js';
import { type Role } from '../entities/user.entity.js';
import { SessionsService } from '../sessions.service.js';

const RANK: Record<Role, number> = { VIEWER: 1, MANAGER: 2, OWNER: 3 };
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when `role` may perform a request of `method` under `policy`. Pure, so it is specced on its own. */
export function isAllowed(role: Role, method: string, policy: AccessPolicy): boolean {
  const needed = READ_METHODS.has(method.toUpperCase()) ? policy.read : policy.write;
  return RANK[role] >= RANK[needed];
}

/** True when the password was entered in this session within the last `windowMin` minutes. */
export function passwordIsRecent(passwordAt: Date | undefined, windowMin: number, now = Date.now()): boolean {
  return passwordAt !== undefined && now - passwordAt.getTime() <= windowMin * 60_000;
}

/** The one place that decides what a role may do; runs after the JWT guard. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if (!req.user) return true; // not a seller route (e.g. the partner API's own guard)
    const writing = !READ_METHODS.has(req.method.toUpperCase());
    if (req.user.via === 'apiKey') {
      if (this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets))
        throw AppError.forbidden(
          'API keys cannot manage staff, API keys, partner access, M-Pesa or shop settings, sessions or passwords: ' +
            'a signed-in owner must do this',
        );
      if (req.user.access === 'read' && writing) throw AppError.forbidden('This API key is read-only');
    }
    const policy = this.reflector.getAllAndOverride<AccessPolicy>(ACCESS_POLICY, targets) ?? DEFAULT_ACCESS;
    if (!isAllowed(req.user.role, req.method, policy)) {
      throw AppError.forbidden(`Your role (${req.user.role}) may not do this`);
    }
    if (writing && this.reflector.getAllAndOverride<boolean>(RECENT_PASSWORD, targets)) {
      // Read now, not from the session check's kept answer: the password may have been entered a moment ago.
      const passwordAt = req.user.sessionId ? await this.sessions.passwordAt(req.user.sessionId) : undefined;
      if (!passwordIsRecent(passwordAt, this.config.security.reauthWindowMin))
        throw AppError.reauthRequired(this.config.security.reauthWindowMin);
    }
    return true;
  }
}
