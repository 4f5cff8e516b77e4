import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config.js';
import { type AuthUser } from '../auth-user.js';
import { User } from '../entities/user.entity.js';

export interface JwtClaims {
  sub: string;
  sid: string;
}

const fromCookie = (req: Request): string | null => (req.cookies as Record<string, string> | undefined)?.token ?? null;

/** Reads the JWT from the `token` cookie or a Bearer header, then the user from the database (removed staff lose access at once). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly em: EntityManager,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([fromCookie, ExtractJwt.fromAuthHeaderAsBearerToken()]),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: JwtClaims): Promise<AuthUser | false> {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return false;
    const user = await this.em.fork().findOne(User, { id: claims.sub, sellerId: claims.sid });
    if (!user) return false;
    return { userId: user.id, sellerId: user.sellerId, role: user.role, email: user.email };
  }
}
