import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PARTNER_ENTITIES } from './entities/index.js';
import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { AdminPartnersController } from './admin-partners.controller.js';
import { AdminTokenGuard, PartnerAuthGuard } from './guards.js';
import { PartnerAccessController } from './partner-access.controller.js';
import { PartnerAccessService } from './partner-access.service.js';
import { PartnerCompaniesService } from './partner-companies.service.js';
import { PartnerHookSource } from './partner-hook.source.js';
import { PartnerWebhooksController } from './partner-webhooks.controller.js';
import { PartnerWebhooksService } from './partner-webhooks.service.js';

/** Partner companies, shop grants, the partner webhooks API, and partner hooks as a subscriber kind of the engine. */
@Module({
  imports: [MikroOrmModule.forFeature(PARTNER_ENTITIES), WebhooksModule],
  controllers: [AdminPartnersController, PartnerAccessController, PartnerWebhooksController],
  providers: [
    PartnerCompaniesService,
    PartnerAccessService,
    PartnerWebhooksService,
    PartnerHookSource,
    PartnerAuthGuard,
    AdminTokenGuard,
  ],
})
export class PartnerWebhooksModule {}
