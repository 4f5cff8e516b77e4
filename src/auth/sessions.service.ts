import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { newId } from '../ids/ids.js';
import type { JwtClaims } from './strategies/jwt.strategy.js';

/**
 * Server-side sessions behind the JWT: each token names its session (`jti`), and the per-request user check reads
 * the session and its user in one indexed statement, so a revoked session stops working on its next request.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** A new session for this user and the JWT that carries it. */
  async open(userId: string, sellerId: string): Promise<string> {
    const id = newId('session');
    await this.em
      .fork()
      .execute(
        'insert into sessions (id, user_id, seller_id, expires_at) values (?, ?, ?, now() + make_interval(secs => ?))',
        [id, userId, sellerId, this.config.jwtTtlSeconds],
      );
    const claims: JwtClaims = { sub: userId, sid: sellerId, jti: id };
    return this.jwt.signAsync(claims);
  }

  /** Ends the session a JWT names, when the JWT is genuine. */
  async revokeToken(token: string): Promise<void> {
    const claims = await this.jwt.verifyAsync<JwtClaims>(token, { algorithms: ['HS256'] }).catch(() => undefined);
    if (typeof claims?.jti !== 'string' || typeof claims.sub !== 'string') return;
    await this.em
      .fork()
      .execute('update sessions set revoked_at = now() where id = ? and user_id = ? and revoked_at is null', [
        claims.jti,
        claims.sub,
      ]);
  }

  /** Ends every session of the user, except `keep` (the one changing the password). */
  async revokeAll(userId: string, keep?: string): Promise<number> {
    const rows = await this.em
      .fork()
      .execute<{ id: string }[]>(
        'update sessions set revoked_at = now() where user_id = ? and revoked_at is null and id <> ? returning id',
        [userId, keep ?? ''],
      );
    return rows.length;
  }
}
