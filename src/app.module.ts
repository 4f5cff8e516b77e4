import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module.js';
import { AppConfigModule } from './config/config.module.js';
import { type RawEnv } from './config/env.validation.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ThrottlingModule } from './throttling/throttling.module.js';
import { CryptoModule } from './crypto/crypto.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { ProductsModule } from './products/products.module.js';
import { CustomersModule } from './customers/customers.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { PartnerWebhooksModule } from './partner-webhooks/partner-webhooks.module.js';
import { AnalyticsModule } from './analytics/analytics.module.js';

@Module({})
export class AppModule {
  /** `env` overrides the process environment (the test harness passes each file's database this way). */
  static register(env: RawEnv = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(env),
        LoggingModule,
        EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
        ScheduleModule.forRoot(),
        DatabaseModule,
        CryptoModule,
        MetricsModule,
        ThrottlingModule,
        HealthModule,
        AuthModule,
        WebhooksModule,
        ProductsModule,
        CustomersModule,
        OrdersModule,
        PaymentsModule,
        PartnerWebhooksModule,
        AnalyticsModule,
      ],
    };
  }
}
