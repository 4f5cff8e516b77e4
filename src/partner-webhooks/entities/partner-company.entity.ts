import { defineEntity, p } from '@mikro-orm/core';

const PartnerCompanySchema = defineEntity({
  name: 'PartnerCompany',
  tableName: 'partner_companies',
  properties: {
    id: p.string().primary(),
    name: p.string(),
    apiKeyHash: p.string().hidden(),
    apiKeyPrefix: p.string(),
    signingSecretEnc: p.string().hidden(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class PartnerCompany extends PartnerCompanySchema.class {}
PartnerCompanySchema.setClass(PartnerCompany);
export { PartnerCompanySchema };
