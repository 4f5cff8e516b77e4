import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { SecretBox } from '../crypto/secret-box.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { MpesaSettingsDto, MpesaSettingsResponse } from './dto/payment.dto.js';
import { MpesaSettings } from './entities/mpesa-settings.entity.js';
import type { DarajaCredentials } from './mpesa/daraja.client.js';

/** A shop's Daraja credentials: stored encrypted, used for STK pushes, never shown back. */
@Injectable()
export class MpesaSettingsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  async save(sellerId: string, dto: MpesaSettingsDto): Promise<MpesaSettingsResponse> {
    await this.uow.run(async ({ em }) => {
      const existing = await em.findOne(MpesaSettings, { sellerId }, { populate: ['callbackToken'] });
      const fields = {
        shortcode: dto.shortcode,
        environment: dto.environment,
        passkeyEnc: this.box.seal(dto.passkey),
        consumerKeyEnc: this.box.seal(dto.consumerKey),
        consumerSecretEnc: this.box.seal(dto.consumerSecret),
      };
      if (existing) em.assign(existing, fields);
      else em.create(MpesaSettings, { sellerId, ...fields, callbackToken: randomBytes(24).toString('base64url') });
      await em.flush();
    });
    return this.view(sellerId);
  }

  async view(sellerId: string): Promise<MpesaSettingsResponse> {
    const settings = await this.em.fork().findOne(MpesaSettings, { sellerId }, { populate: ['callbackToken'] });
    if (!settings) return { configured: false, shortcode: null, environment: null, callbackUrl: null, updatedAt: null };
    return { configured: true, shortcode: settings.shortcode, environment: settings.environment, callbackUrl: this.callbackUrl(settings.callbackToken), updatedAt: settings.updatedAt };
  }

  /** Decrypted credentials for one push, or undefined when the shop has none (orders then wait for a manual payment). */
  async credentials(em: EntityManager, sellerId: string): Promise<(DarajaCredentials & { callbackUrl: string }) | undefined> {
    const s = await em.findOne(MpesaSettings, { sellerId }, { populate: ['passkeyEnc', 'consumerKeyEnc', 'consumerSecretEnc', 'callbackToken'] });
    if (!s) return undefined;
    return {
      environment: s.environment,
      shortcode: s.shortcode,
      passkey: this.box.open(s.passkeyEnc),
      consumerKey: this.box.open(s.consumerKeyEnc),
      consumerSecret: this.box.open(s.consumerSecretEnc),
      callbackUrl: this.callbackUrl(s.callbackToken),
    };
  }

  /** The shop whose callback token this is. */
  async sellerForToken(token: string): Promise<string | undefined> {
    if (!/^[\w-]{20,64}$/.test(token)) return undefined;
    const s = await this.em.fork().findOne(MpesaSettings, { callbackToken: token });
    return s?.sellerId;
  }

  private callbackUrl(token: string): string {
    return `${this.config.publicBaseUrl}/api/payments/mpesa/callback/${token}`;
  }
}
