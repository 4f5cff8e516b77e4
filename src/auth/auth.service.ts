import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { normalizeKenyanPhone } from '../common/phone.js';
import { slugCandidate, slugify } from '../common/slug.js';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { preparedRows } from '../database/prepared.js';
import { newId } from '../ids/ids.js';
import { toSellerResponse, toUserResponse } from './auth.mapper.js';
import { AuditLog } from './audit/audit-log.service.js';
import { type Actor, type AuthUser } from './auth-user.js';
import { clientKey } from '../net/client-key.js';
import { ChangePasswordDto, LoginDto, RegisterDto, SessionResponse } from './dto/auth.dto.js';
import { Seller } from './entities/seller.entity.js';
import { type Role, User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionsService } from './sessions.service.js';

interface MeRow {
  user_id: string;
  email: string;
  name: string | null;
  role: Role;
  user_created_at: string;
  seller_id: string;
  store_name: string;
  store_slug: string;
  phone: string;
  seller_created_at: string;
}

export interface SignedSession extends SessionResponse {
  token: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  async register(dto: RegisterDto, ip?: string): Promise<SignedSession> {
    const phone = normalizeKenyanPhone(dto.phone);
    if (!phone) {
      throw AppError.validation('phone must be a Kenyan mobile number such as 0712345678 or +254712345678', [
        { field: 'phone', message: 'phone must be a Kenyan mobile number such as 0712345678 or +254712345678' },
      ]);
    }
    if (await this.emailTaken(dto.email)) throw AppError.conflict('An account with this email already exists');
    const passwordHash = await this.hasher.hash(dto.password);
    const base = slugify(dto.storeName);
    for (let attempt = 1; attempt <= 20; attempt++) {
      const storeSlug = slugCandidate(base, attempt);
      if (await this.em.fork().count(Seller, { storeSlug })) continue;
      try {
        return await this.createShop(dto, phone, storeSlug, passwordHash, clientKey(ip));
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        if (await this.emailTaken(dto.email)) throw AppError.conflict('An account with this email already exists');
        // Someone took the slug between our check and our insert: try the next one.
      }
    }
    throw AppError.conflict('Could not find a free store address for this name; try a more distinctive store name');
  }

  /**
   * Failed sign-ins are counted per account from addresses that never signed in to it: after
   * LOGIN_FAILURES_BEFORE_LOCK the account is locked for such addresses for 30 s, doubling with each further failure up
   * to LOGIN_LOCK_MAX_S; a success resets it and makes its address known.
   */
  async login(dto: LoginDto, ip?: string): Promise<SignedSession> {
    const em = this.em.fork();
    const user = await em.findOne(
      User,
      { email: dto.email },
      { populate: ['passwordHash', 'failedLogins', 'lockedUntil', 'knownAddresses'] },
    );
    const address = clientKey(ip);
    // The lock holds strangers back; an address that has signed in to this account before is never locked out by
    // them (so one wrong password an hour from elsewhere cannot keep the owner out).
    const known = user?.knownAddresses.includes(address) ?? false;
    if (!known && user?.lockedUntil && user.lockedUntil > new Date()) {
      const wait = (user.lockedUntil.getTime() - Date.now()) / 1000;
      throw AppError.rateLimited(
        `Too many failed sign-ins to this account from new places. Try again in ${formatWait(wait)}, or sign in ` +
          'from a device that has signed in before',
        wait,
      );
    }
    const valid = await this.hasher.verify(user?.passwordHash, dto.password);
    if (!user || !valid) {
      if (user && !known) await this.countFailure(user.id);
      throw AppError.unauthorized('Invalid email or password');
    }
    await this.remember(user, address);
    const seller = await em.findOneOrFail(Seller, { id: user.sellerId });
    return this.sign(user, seller);
  }

  /**
   * Sudo mode: the password again, in a session that is already signed in; changes to who may act for the shop or
   * where its money goes are allowed for REAUTH_WINDOW_MIN after it. Wrong passwords count like failed sign-ins.
   */
  async reauth(auth: AuthUser, password: string, ip?: string): Promise<void> {
    const em = this.em.fork();
    const user = await em.findOneOrFail(User, { id: auth.userId }, { populate: ['passwordHash', 'knownAddresses'] });
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      if (!user.knownAddresses.includes(clientKey(ip))) await this.countFailure(user.id);
      throw AppError.validation('The password is not right', [
        { field: 'password', message: 'does not match your password' },
      ]);
    }
    await this.sessions.passwordEntered(auth.sessionId);
  }

  /** A good sign-in: the failure count resets and the address joins the account's known ones (the latest 20). */
  private async remember(user: User, address: string): Promise<void> {
    if (!user.failedLogins && user.knownAddresses.includes(address)) return;
    await this.em.fork().execute(
      `update users set failed_logins = 0, locked_until = null,
         known_addresses = (array_remove(known_addresses, ?) || array[?]::text[])[greatest(1,
           cardinality(array_remove(known_addresses, ?)) - 18):]
       where id = ?`,
      [address, address, address, user.id],
    );
  }

  /**
   * Ends the session a token names on the server (a bad or expired token has nothing to end); the controller clears the
   * cookie.
   */
  async logout(token: string | null, ip?: string): Promise<void> {
    if (!token) return;
    await this.uow.run(async ({ em }) => {
      const ended = await this.sessions.revokeToken(token, em);
      if (ended) {
        await this.audit.record(em, {
          sellerId: ended.sellerId,
          actor: { type: 'user', id: ended.userId, email: ended.email, ip: ip ?? null },
          action: 'session.ended',
          target: ended.userId,
          changes: { sessions: 1, reason: 'sign-out' },
        });
      }
    });
  }

  /** "Sign out everywhere": every session of this user ends, this one included. */
  async logoutAll(auth: AuthUser, actor: Actor): Promise<void> {
    await this.uow.run(async ({ em }) => {
      const n = await this.sessions.revokeAll(auth.userId, undefined, em);
      await this.audit.record(em, {
        sellerId: auth.sellerId,
        actor,
        action: 'session.ended',
        target: auth.userId,
        changes: { sessions: n, reason: 'sign-out everywhere' },
      });
    });
  }

  /** A new password; every other session of the user ends (API keys are not sessions and keep working). */
  async changePassword(auth: AuthUser, dto: ChangePasswordDto, actor: Actor): Promise<void> {
    const em = this.em.fork();
    const user = await em.findOneOrFail(User, { id: auth.userId }, { populate: ['passwordHash'] });
    if (!(await this.hasher.verify(user.passwordHash, dto.currentPassword))) {
      throw AppError.validation('The current password is not right', [
        { field: 'currentPassword', message: 'does not match your password' },
      ]);
    }
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await this.uow.run(async ({ em: tx }) => {
      await tx.execute(
        'update users set password_hash = ?, failed_logins = 0, locked_until = null, updated_at = now() where id = ?',
        [passwordHash, user.id],
      );
      const ended = await this.sessions.revokeAll(user.id, auth.sessionId, tx);
      // Entering the current password is as good as a reauth for this session.
      await this.sessions.passwordEntered(auth.sessionId, tx);
      await this.audit.record(tx, {
        sellerId: auth.sellerId,
        actor,
        action: 'password.changed',
        target: user.id,
        changes: { otherSessionsEnded: ended },
      });
    });
  }

  private async countFailure(userId: string): Promise<void> {
    const { loginFailuresBeforeLock: threshold, loginLockMaxS: maxS } = this.config.rateLimit;
    await this.em.fork().execute(
      `update users set failed_logins = failed_logins + 1,
         locked_until = case when failed_logins + 1 >= ? then now() + make_interval(secs => least(?, 30 * power(2,
           failed_logins + 1 - ?))) else locked_until end
       where id = ?`,
      [threshold, maxS, threshold, userId],
    );
  }

  /**
   * The seller app asks on every load: one prepared statement, no entities built. The pool hands timestamps back as
   * PostgreSQL's text ("2026-12-06 08:49:17.218+00"): made Dates, as every raw row's are, so the answer says ISO.
   */
  async me(auth: AuthUser): Promise<SessionResponse> {
    const [row] = await preparedRows<MeRow>(
      this.em,
      `select u.id as user_id, u.email, u.name, u.role, u.created_at as user_created_at, s.id as seller_id,
         s.store_name, s.store_slug, s.phone, s.created_at as seller_created_at
       from users u join sellers s on s.id = u.seller_id where u.id = ? and s.id = ?`,
      [auth.userId, auth.sellerId],
    );
    if (!row) throw AppError.unauthorized();
    return {
      user: toUserResponse({
        id: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        createdAt: new Date(row.user_created_at),
      }),
      seller: toSellerResponse({
        id: row.seller_id,
        storeName: row.store_name,
        storeSlug: row.store_slug,
        phone: row.phone,
        createdAt: new Date(row.seller_created_at),
      }),
    };
  }

  private async emailTaken(email: string): Promise<boolean> {
    const rows = await this.em
      .fork()
      .execute<{ n: number }[]>('select 1 as n from users where lower(email) = lower(?) limit 1', [email]);
    return rows.length > 0;
  }

  private async createShop(
    dto: RegisterDto,
    phone: string,
    storeSlug: string,
    passwordHash: string,
    address: string,
  ): Promise<SignedSession> {
    const { seller, user } = await this.uow.run(async ({ em }) => {
      const seller = em.create(Seller, { id: newId('seller'), storeName: dto.storeName, storeSlug, phone });
      const user = em.create(User, {
        id: newId('user'),
        sellerId: seller.id,
        email: dto.email,
        name: null,
        passwordHash,
        role: 'OWNER',
        knownAddresses: [address],
      });
      await em.flush();
      return { seller, user };
    });
    return this.sign(user, seller);
  }

  private async sign(user: User, seller: Seller): Promise<SignedSession> {
    const token = await this.sessions.open(user.id, seller.id);
    return { token, user: toUserResponse(user), seller: toSellerResponse(seller) };
  }
}

function formatWait(seconds: number): string {
  return seconds < 90 ? `${Math.ceil(seconds)} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
