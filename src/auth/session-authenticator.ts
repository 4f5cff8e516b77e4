import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { preparedRows } from '../database/prepared.js';
import { bearerToken } from './bearer.js';
import { type AuthUser } from './auth-user.js';
import { type CheckedSession, SessionCache } from './session-cache.js';
import { type JwtClaims, VerifiedTokens } from './verified-tokens.js';
import type { Role } from './entities/user.entity.js';

const fromCookie = (req: Request): string | null => (req.cookies as Record<string, string> | undefined)?.token ?? null;

/** The session JWT of a request (Bearer header first, then the cookie), unverified. */
export const sessionToken = (req: Request): string | null => bearerToken(req.headers) ?? fromCookie(req);

/**
 * Reads the JWT from a Bearer header or the `token` cookie, verifies it (HS256, expiry), then checks its session and
 * user: from the SessionCache while it may be trusted, else from the database in one prepared statement. A revoked or
 * expired session, or removed staff, lose access on their next request (on another instance: once PostgreSQL's
 * notification of the change reaches it). An app's own instance, not passport's process-wide strategy registry: two
 * apps in one process (the e2e suite) each check sessions against their own database.
 */
@Injectable()
export class SessionAuthenticator {
  // A KeyObject made once: given a string, jsonwebtoken tries to parse it as a public key on every request (and
  // throws) before it falls back to a secret key.
  private readonly key: KeyObject;
  private readonly tokens: VerifiedTokens;

  constructor(
    config: AppConfig,
    private readonly jwt: JwtService,
    private readonly em: EntityManager,
    private readonly cache: SessionCache,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret));
    this.tokens = new VerifiedTokens((token) =>
      this.jwt.verify<JwtClaims & { exp?: number } & object>(token, {
        secret: this.key as unknown as string,
        algorithms: ['HS256'],
      }),
    );
  }

  /** The signed-in user, or false for a missing, forged, expired or revoked session. Database errors propagate. */
  async authenticate(req: Request): Promise<AuthUser | false> {
    const token = sessionToken(req);
    if (!token) return false;
    const claims = this.tokens.claims(token);
    if (!claims) return false;
    const session = this.cache.get(claims.jti) ?? (await this.check(claims));
    if (!session || session.userId !== claims.sub || session.sellerId !== claims.sid) return false;
    // 'bearer' only when the token came from a Bearer header: any other Authorization header (Basic, junk) leaves the
    // cookie in charge, and a cookie session is checked against cross-site writes.
    const via = bearerToken(req.headers) ? 'bearer' : 'cookie';
    return {
      userId: session.userId,
      sellerId: session.sellerId,
      role: session.role,
      email: session.email,
      sessionId: claims.jti,
      via,
      access: 'full',
    };
  }

  /** Reads the session and its user (one prepared statement on two primary keys) and keeps what it read. */
  private async check(claims: JwtClaims): Promise<CheckedSession | undefined> {
    const epoch = this.cache.epoch;
    const [row] = await preparedRows<{
      id: string;
      seller_id: string;
      role: Role;
      email: string;
      expires_at: Date | string;
    }>(
      this.em,
      `select u.id, u.seller_id, u.role, u.email, s.expires_at from sessions s join users u on u.id = s.user_id
      where s.id = ? and s.user_id = ? and s.revoked_at is null and s.expires_at > now() and u.seller_id = ?`,
      [claims.jti, claims.sub, claims.sid],
    );
    if (!row) return undefined;
    const session: CheckedSession = {
      userId: row.id,
      sellerId: row.seller_id,
      role: row.role,
      email: row.email,
      expiresAt: new Date(row.expires_at).getTime(),
    };
    this.cache.keep(epoch, claims.jti, session);
    return session;
  }
}
