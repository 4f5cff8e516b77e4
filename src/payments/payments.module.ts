import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { DarajaClient } from './mpesa/daraja.client.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { PaymentRecorder } from './payment-recorder.js';
import { MpesaCallbackController, MpesaSettingsController, OrderPaymentsController } from './payments.controller.js';
import { PaymentsService } from './payments.service.js';

/** M-Pesa through Safaricom Daraja: credentials, STK pushes, callbacks, and manual till payments. */
@Module({
  imports: [HttpModule, OrdersModule],
  controllers: [MpesaSettingsController, MpesaCallbackController, OrderPaymentsController],
  providers: [MpesaSettingsService, DarajaClient, PaymentsService, PaymentRecorder],
})
export class PaymentsModule {}
