import { Injectable } from '@nestjs/common';
import type { CookieOptions, Response } from 'express';
import { AppConfig } from '../config/app-config.js';

/** The reference's cookie: `token=<jwt>; HttpOnly; Secure; SameSite=Lax; Path=/` with a Max-Age. */
@Injectable()
export class SessionCookie {
  constructor(private readonly config: AppConfig) {}

  private options(): CookieOptions {
    return { httpOnly: true, secure: this.config.cookieSecure, sameSite: 'lax', path: '/' };
  }

  set(res: Response, token: string): void {
    res.cookie('token', token, { ...this.options(), maxAge: this.config.jwtTtlSeconds * 1000 });
  }

  clear(res: Response): void {
    res.clearCookie('token', this.options());
  }
}
