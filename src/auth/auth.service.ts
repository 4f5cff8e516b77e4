import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { normalizeKenyanPhone } from '../common/phone.js';
import { slugCandidate, slugify } from '../common/slug.js';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { newId } from '../ids/ids.js';
import { toSellerResponse, toUserResponse } from './auth.mapper.js';
import { type AuthUser } from './auth-user.js';
import { ChangePasswordDto, LoginDto, RegisterDto, SessionResponse } from './dto/auth.dto.js';
import { Seller } from './entities/seller.entity.js';
import { User } from './entities/user.entity.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionsService } from './sessions.service.js';

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
  ) {}

  async register(dto: RegisterDto): Promise<SignedSession> {
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
        return await this.createShop(dto, phone, storeSlug, passwordHash);
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        if (await this.emailTaken(dto.email)) throw AppError.conflict('An account with this email already exists');
        // Someone took the slug between our check and our insert: try the next one.
      }
    }
    throw AppError.conflict('Could not find a free store address for this name; try a more distinctive store name');
  }

  /**
   * Failed sign-ins are counted per account, whatever address they come from: after LOGIN_FAILURES_BEFORE_LOCK the
   * account is locked for 30 s, doubling with each further failure up to LOGIN_LOCK_MAX_S; a success resets it.
   */
  async login(dto: LoginDto): Promise<SignedSession> {
    const em = this.em.fork();
    const user = await em.findOne(
      User,
      { email: dto.email },
      { populate: ['passwordHash', 'failedLogins', 'lockedUntil'] },
    );
    if (user?.lockedUntil && user.lockedUntil > new Date()) {
      const wait = (user.lockedUntil.getTime() - Date.now()) / 1000;
      throw AppError.rateLimited(
        `Too many failed sign-ins for this account. Try again in ${formatWait(wait)}, or reset your password`,
        wait,
      );
    }
    const valid = await this.hasher.verify(user?.passwordHash, dto.password);
    if (!user || !valid) {
      if (user) await this.countFailure(user.id);
      throw AppError.unauthorized('Invalid email or password');
    }
    if (user.failedLogins)
      await em.execute('update users set failed_logins = 0, locked_until = null where id = ?', [user.id]);
    const seller = await em.findOneOrFail(Seller, { id: user.sellerId });
    return this.sign(user, seller);
  }

  /**
   * Ends the session a token names on the server (a bad or expired token has nothing to end); the controller clears the
   * cookie.
   */
  async logout(token: string | null): Promise<void> {
    if (token) await this.sessions.revokeToken(token);
  }

  /** "Sign out everywhere": every session of this user ends, this one included. */
  async logoutAll(auth: AuthUser): Promise<void> {
    await this.sessions.revokeAll(auth.userId);
  }

  /** A new password; every other session of the user ends (API keys are not sessions and keep working). */
  async changePassword(auth: AuthUser, dto: ChangePasswordDto): Promise<void> {
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
      await tx.execute('update sessions set revoked_at = now() where user_id = ? and revoked_at is null and id <> ?', [
        user.id,
        auth.sessionId ?? '',
      ]);
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

  async me(auth: AuthUser): Promise<SessionResponse> {
    const em = this.em.fork();
    const user = await em.findOneOrFail(User, { id: auth.userId });
    const seller = await em.findOneOrFail(Seller, { id: auth.sellerId });
    return { user: toUserResponse(user), seller: toSellerResponse(seller) };
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
