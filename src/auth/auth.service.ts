import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { normalizeKenyanPhone } from '../common/phone.js';
import { slugCandidate, slugify } from '../common/slug.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { newId } from '../ids/ids.js';
import { toSellerResponse, toUserResponse } from './auth.mapper.js';
import { type AuthUser } from './auth-user.js';
import { LoginDto, RegisterDto, SessionResponse } from './dto/auth.dto.js';
import { Seller } from './entities/seller.entity.js';
import { User } from './entities/user.entity.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type JwtClaims } from './strategies/jwt.strategy.js';

export interface SignedSession extends SessionResponse {
  token: string;
}

// Verified against when the email is unknown, so both failures take the same time.
const DUMMY_HASH = hashPassword('not-a-real-password-at-all');

@Injectable()
export class AuthService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
  ) {}

  async register(dto: RegisterDto): Promise<SignedSession> {
    const phone = normalizeKenyanPhone(dto.phone);
    if (!phone) {
      throw AppError.validation('phone must be a Kenyan mobile number such as 0712345678 or +254712345678', [
        { field: 'phone', message: 'phone must be a Kenyan mobile number such as 0712345678 or +254712345678' },
      ]);
    }
    if (await this.emailTaken(dto.email)) throw AppError.conflict('An account with this email already exists');
    const passwordHash = await hashPassword(dto.password);
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

  async login(dto: LoginDto): Promise<SignedSession> {
    const em = this.em.fork();
    const user = await em.findOne(User, { email: dto.email }, { populate: ['passwordHash'] });
    const valid = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), dto.password);
    if (!user || !valid) throw AppError.unauthorized('Invalid email or password');
    const seller = await em.findOneOrFail(Seller, { id: user.sellerId });
    return this.sign(user, seller);
  }

  async me(auth: AuthUser): Promise<SessionResponse> {
    const em = this.em.fork();
    const user = await em.findOneOrFail(User, { id: auth.userId });
    const seller = await em.findOneOrFail(Seller, { id: auth.sellerId });
    return { user: toUserResponse(user), seller: toSellerResponse(seller) };
  }

  private async emailTaken(email: string): Promise<boolean> {
    const rows = await this.em.fork().execute<{ n: number }[]>('select 1 as n from users where lower(email) = lower(?) limit 1', [email]);
    return rows.length > 0;
  }

  private async createShop(dto: RegisterDto, phone: string, storeSlug: string, passwordHash: string): Promise<SignedSession> {
    const { seller, user } = await this.uow.run(async ({ em }) => {
      const seller = em.create(Seller, { id: newId('seller'), storeName: dto.storeName, storeSlug, phone });
      const user = em.create(User, { id: newId('user'), sellerId: seller.id, email: dto.email, name: null, passwordHash, role: 'OWNER' });
      await em.flush();
      return { seller, user };
    });
    return this.sign(user, seller);
  }

  private async sign(user: User, seller: Seller): Promise<SignedSession> {
    const claims: JwtClaims = { sub: user.id, sid: seller.id };
    const token = await this.jwt.signAsync(claims);
    return { token, user: toUserResponse(user), seller: toSellerResponse(seller) };
  }
}
