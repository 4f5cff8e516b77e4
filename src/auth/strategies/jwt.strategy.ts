import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config.js';
import { type AuthUser } from '../auth-user.js';
import type { Role } from '../entities/user.entity.js';

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
    // Every authenticated request passes here: one indexed read, no entity hydration.
    const [user] = await this.em.fork().execute<{ id: string; seller_id: string; role: Role; email: string }[]>(
      'select id, seller_id, role, email from users where id = ? and seller_id = ?',
      [claims.sub, claims.sid],
    );
    if (!user) return false;
    return { userId: user.id, sellerId: user.seller_id, role: user.role, email: user.email };
  }
}
