import { defineEntity, p } from '@mikro-orm/core';

const PartnerWebhookSchema = defineEntity({
  name: 'PartnerWebhook',
  tableName: 'partner_webhooks',
  properties: {
    id: p.string().primary(),
    companyId: p.string(),
    /** Null: company-wide (every shop that grants the company access). */
    shopId: p.string().nullable(),
    url: p.string().nullable(),
    webHookType: p.string().nullable(),
    webHookUrls: p.array(),
    deleted: p.boolean().default(false),
    updated: p.boolean().default(false),
    isActive: p.boolean().default(true),
    disabledReason: p.string().nullable(),
    disabledAt: p.datetime().nullable(),
    consecutiveFailures: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    modifiedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class PartnerWebhook extends PartnerWebhookSchema.class {}
PartnerWebhookSchema.setClass(PartnerWebhook);
export { PartnerWebhookSchema };
