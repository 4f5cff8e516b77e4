import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../config/app-config.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AccessGuard } from './guards/access.guard.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { CsrfGuard } from '../security/csrf.guard.js';
import { SessionCookie } from './session-cookie.js';
import { ShopSettingsController, ShopSettingsService } from './shop-settings.controller.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { SessionsService } from './sessions.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { StaffController } from './staff.controller.js';
import { StaffService } from './staff.service.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController, StaffController, ShopSettingsController, ApiKeysController],
  providers: [
    AuthService,
    StaffService,
    SessionCookie,
    SessionsService,
    ApiKeysService,
    ShopSettingsService,
    PasswordHasher,
    JwtStrategy,
    // Order matters: who you are, then what your role may do.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
})
export class AuthModule {}
