import { PaymentSchema } from './payment.entity.js';
import { MpesaSettingsSchema } from './mpesa-settings.entity.js';

/** This module's tables, registered by its own module (MikroOrmModule.forFeature). */
export const PAYMENTS_ENTITIES = [PaymentSchema, MpesaSettingsSchema];
