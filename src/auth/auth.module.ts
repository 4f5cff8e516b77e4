import { MikroOrmModule } from '@mikro-orm/nestjs';
import { AUTH_ENTITIES } from './entities/index.js';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AccessGuard } from './guards/access.guard.js';
import { JwtAuthGuard } from './guards/jwt-auth.guard.js';
import { CsrfGuard } from '../security/csrf.guard.js';
import { SessionCookie } from './session-cookie.service.js';
import { ShopDirectory } from './shop-directory.service.js';
import { ShopSettingsController } from './shop-settings.controller.js';
import { ShopSettingsService } from './shop-settings.service.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { SessionsService } from './sessions.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { StaffController } from './staff.controller.js';
import { StaffService } from './staff.service.js';
import { SessionAuthenticator } from './session-authenticator.js';
import { SessionCache } from './session-cache.js';
import { AuditLog } from './audit/audit-log.service.js';
import { AuditLogController } from './audit/audit-log.controller.js';

@Module({
  imports: [
    MikroOrmModule.forFeature(AUTH_ENTITIES),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
      }),
    }),
  ],
  controllers: [AuthController, StaffController, ShopSettingsController, ApiKeysController, AuditLogController],
  providers: [
    AuthService,
    StaffService,
    SessionCookie,
    SessionsService,
    ApiKeysService,
    ShopSettingsService,
    ShopDirectory,
    PasswordHasher,
    AuditLog,
    SessionAuthenticator,
    SessionCache,
    // Order matters: who you are, then what your role may do.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
  ],
  // What other modules need: the shop behind a storefront slug, and the audit log their sensitive changes write to.
  exports: [ShopDirectory, AuditLog],
})
@Global()
export class AuthModule {}
