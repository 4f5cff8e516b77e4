import { defineEntity, p } from '@mikro-orm/core';

/** A shop's Daraja credentials, encrypted at rest; never shown back. */
const MpesaSettingsSchema = defineEntity({
  name: 'MpesaSettings',
  tableName: 'mpesa_settings',
  properties: {
    sellerId: p.string().primary(),
    shortcode: p.string(),
    environment: p.enum(['sandbox', 'production'] as const),
    passkeyEnc: p.string().hidden(),
    consumerKeyEnc: p.string().hidden(),
    consumerSecretEnc: p.string().hidden(),
    callbackTokenHash: p.string().hidden(),
    callbackTokenEnc: p.string().hidden(),
    initiatorNameEnc: p.string().nullable().hidden(),
    securityCredentialEnc: p.string().nullable().hidden(),
    c2bValidation: p.boolean().default(false),
    c2bTokenHash: p.string().nullable().hidden(),
    c2bTokenEnc: p.string().nullable().hidden(),
    c2bRegisteredAt: p.datetime().nullable(),
    c2bResponseType: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class MpesaSettings extends MpesaSettingsSchema.class {}
MpesaSettingsSchema.setClass(MpesaSettings);
export { MpesaSettingsSchema };
