import { PartnerCompanySchema } from './partner-company.entity.js';
import { PartnerWebhookSchema } from './partner-webhook.entity.js';

/** This module's tables, registered by its own module (MikroOrmModule.forFeature). */
export const PARTNER_ENTITIES = [PartnerCompanySchema, PartnerWebhookSchema];
