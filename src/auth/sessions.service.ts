import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { inBatches } from '../database/batches.js';
import { preparedRows } from '../database/prepared.js';
import { newId } from '../ids/ids.js';
import { SessionCache } from './session-cache.js';
import type { JwtClaims } from './verified-tokens.js';

const PURGE_BATCH = 5000;

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
    private readonly cache: SessionCache,
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

  /** Ends the session a JWT names, when the JWT is genuine; answers whose session it was when one ended. */
  async revokeToken(
    token: string,
    em: EntityManager = this.em.fork(),
  ): Promise<{ userId: string; sellerId: string; email: string } | undefined> {
    const claims = await this.jwt.verifyAsync<JwtClaims>(token, { algorithms: ['HS256'] }).catch(() => undefined);
    if (typeof claims?.jti !== 'string' || typeof claims.sub !== 'string') return undefined;
    this.cache.forgetSession(claims.jti);
    const [row] = await em.execute<{ user_id: string; seller_id: string; email: string }[]>(
      `update sessions s set revoked_at = now() from users u
        where s.id = ? and s.user_id = ? and s.revoked_at is null and u.id = s.user_id
        returning s.user_id, s.seller_id, u.email`,
      [claims.jti, claims.sub],
    );
    return row ? { userId: row.user_id, sellerId: row.seller_id, email: row.email } : undefined;
  }

  /** Ends every session of the user, except `keep` (the one changing the password). */
  async revokeAll(userId: string, keep?: string, em: EntityManager = this.em.fork()): Promise<number> {
    this.cache.forgetUser(userId);
    const rows = await em.execute<{ id: string }[]>(
      'update sessions set revoked_at = now() where user_id = ? and revoked_at is null and id <> ? returning id',
      [userId, keep ?? ''],
    );
    return rows.length;
  }

  /** The password was just entered in this session (sudo mode starts over). */
  async passwordEntered(sessionId: string | undefined, em: EntityManager = this.em.fork()): Promise<void> {
    await em.execute('update sessions set password_at = now() where id = ?', [sessionId ?? '']);
  }

  /** When the password was last entered in this live session, read now: sudo mode never trusts a kept check. */
  async passwordAt(sessionId: string): Promise<Date | undefined> {
    const [row] = await preparedRows<{ password_at: Date | string }>(
      this.em,
      'select password_at from sessions where id = ? and revoked_at is null and expires_at > now()',
      [sessionId],
    );
    return row ? new Date(row.password_at) : undefined;
  }

  /** Sessions past their expiry, or ended more than a day ago, are deleted (in batches, hourly). */
  @Cron(CronExpression.EVERY_HOUR, { name: 'session-purge' })
  async purgeExpired(): Promise<number> {
    return inBatches(PURGE_BATCH, async () => {
      const rows = await this.em.fork().execute<unknown[]>(
        `delete from sessions where id in (select id from sessions
           where expires_at < now() or revoked_at < now() - interval '1 day' limit ?) returning id`,
        [PURGE_BATCH],
      );
      return rows.length;
    });
  }
}
