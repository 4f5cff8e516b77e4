import { CancelledOrderRefunds } from './cancelled-order-refunds.listener.js';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PAYMENTS_ENTITIES } from './entities/index.js';
import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { ProductsModule } from '../products/products.module.js';
import { BuyerOrdersController, OrderPromptController } from './buyer-orders.controller.js';
import { BuyerOrders } from './buyer-orders.service.js';
import { DarajaClient } from './mpesa/daraja.client.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { PaymentJobsService } from './payment-jobs.service.js';
import { PaymentMetrics } from './payment-metrics.service.js';
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
import { C2bAllocation } from './c2b/c2b-allocation.service.js';
import { C2bCallbackController, C2bRegisterController } from './c2b/c2b.controller.js';
import { C2bIntake } from './c2b/c2b-intake.service.js';
import { C2bMatcher } from './c2b/c2b-matcher.js';
import { C2bRegistration } from './c2b/c2b-registration.service.js';
import { C2bStatusChecks } from './c2b/c2b-status.service.js';
import { PaymentAssignment } from './c2b/payment-assignment.service.js';
import { PaymentResolution } from './payment-resolution.service.js';

/**
 * M-Pesa through Safaricom Daraja: credentials, STK pushes and callbacks, till and paybill (C2B) payments matched to
 * orders, and payments a seller records by hand.
 */
@Module({
  imports: [MikroOrmModule.forFeature(PAYMENTS_ENTITIES), HttpModule, OrdersModule, ProductsModule],
  controllers: [
    MpesaSettingsController,
    MpesaCallbackController,
    OrderPaymentsController,
    PaymentsController,
    C2bRegisterController,
    C2bCallbackController,
    BuyerOrdersController,
    OrderPromptController,
  ],
  providers: [
    MpesaSettingsService,
    DarajaClient,
    PaymentsService,
    PaymentRecorder,
    PaymentMetrics,
    PaymentSettlement,
    PaymentJobsService,
    ReconciliationService,
    C2bMatcher,
    C2bAllocation,
    C2bIntake,
    C2bStatusChecks,
    C2bRegistration,
    PaymentAssignment,
    PaymentResolution,
    CancelledOrderRefunds,
    BuyerOrders,
  ],
})
export class PaymentsModule {}
