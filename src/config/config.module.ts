import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_CONFIG, AppConfig } from './app-config.js';
import { parseEnv, type RawEnv } from './env.validation.js';

/** Reads .env and the environment once, validates them into the injectable AppConfig. */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides: RawEnv = {}): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          cache: true,
          // The typed object lives under one key; being an object, it is never copied into process.env.
          validate: (raw) => ({ [APP_CONFIG]: parseEnv({ ...(raw as RawEnv), ...overrides }) }),
        }),
      ],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow<AppConfig>(APP_CONFIG),
        },
      ],
      exports: [AppConfig],
    };
  }
}
