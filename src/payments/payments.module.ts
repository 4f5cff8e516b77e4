import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PAYMENTS_ENTITIES } from './entities/index.js';
import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { DarajaClient } from './mpesa/daraja.client.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { PaymentJobsService } from './payment-jobs.service.js';
import { PaymentRecorder } from './payment-recorder.service.js';
import { PaymentSettlement } from './payment-settlement.service.js';
import {
  MpesaCallbackController,
  MpesaSettingsController,
  OrderPaymentsController,
  PaymentsController,
} from './payments.controller.js';
import { ReconciliationService } from './reconciliation.service.js';
import { PaymentsService } from './payments.service.js';

/** M-Pesa through Safaricom Daraja: credentials, STK pushes, callbacks, and manual till payments. */
@Module({
  imports: [MikroOrmModule.forFeature(PAYMENTS_ENTITIES), HttpModule, OrdersModule],
  controllers: [MpesaSettingsController, MpesaCallbackController, OrderPaymentsController, PaymentsController],
  providers: [
    MpesaSettingsService,
    DarajaClient,
    PaymentsService,
    PaymentRecorder,
    PaymentSettlement,
    PaymentJobsService,
    ReconciliationService,
  ],
})
export class PaymentsModule {}
