import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '../../auth/audit/audit-log.service.js';
import type { Actor } from '../../auth/auth-user.js';
import { AppConfig } from '../../config/app-config.js';
import { secretRow, SecretBox } from '../../crypto/secret-box.js';
import { UnitOfWork } from '../../database/unit-of-work.js';
import { AppError } from '../../errors/app-error.js';
import type { C2bRegisterDto, C2bRegisterResponse } from '../dto/payment.dto.js';
import { MpesaSettings } from '../entities/mpesa-settings.entity.js';
import { maskToken, MpesaSettingsService } from '../mpesa-settings.service.js';
import { DarajaClient, DarajaError } from '../mpesa/daraja.client.js';
import { refusedWord } from './c2b-shapes.js';
import { confirmationUrl, hashUrlToken, newUrlToken, validationUrl } from './c2b-urls.js';

/**
 * Registers the shop's confirmation and validation URLs with Daraja for its shortcode (register URL API v2). The URLs
 * carry a token of their own, made once and kept (in production Safaricom registers URLs once per shortcode; changes
 * go through its portal), so rotating the STK callback never breaks till payments.
 */
@Injectable()
export class C2bRegistration {
  private readonly logger = new Logger(C2bRegistration.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly settings: MpesaSettingsService,
    private readonly daraja: DarajaClient,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async register(sellerId: string, dto: C2bRegisterDto, actor: Actor): Promise<C2bRegisterResponse> {
    const responseType = dto.responseType ?? 'Completed';
    const row = secretRow('mpesa_settings', sellerId);
    // The token exists before Daraja hears of it, so the first confirmation finds its shop.
    const token = await this.uow.run(async ({ em }) => {
      const s = await em.findOne(MpesaSettings, { sellerId }, { populate: ['c2bTokenEnc'] });
      if (!s) throw AppError.notFound('M-Pesa settings');
      if (s.c2bTokenEnc) return this.box.open(s.c2bTokenEnc, row);
      const fresh = newUrlToken();
      Object.assign(s, { c2bTokenHash: hashUrlToken(fresh), c2bTokenEnc: this.box.seal(fresh, row) });
      await em.flush();
      return fresh;
    });
    const urls = {
      confirmation: confirmationUrl(this.config.publicBaseUrl, token),
      validation: validationUrl(this.config.publicBaseUrl, token),
    };
    const word = refusedWord(urls.confirmation);
    if (word)
      throw AppError.conflict(
        `Safaricom refuses URLs containing "${word}", and PUBLIC_BASE_URL (${this.config.publicBaseUrl}) has it: ` +
          'serve the API on a host name without it',
      );
    const creds = await this.settings.credentials(this.em.fork(), sellerId);
    if (!creds) throw AppError.notFound('M-Pesa settings');
    let answer: string;
    try {
      answer = await this.daraja.registerC2bUrls(creds, {
        ShortCode: creds.shortcode,
        ResponseType: responseType,
        ConfirmationURL: urls.confirmation,
        ValidationURL: urls.validation,
      });
    } catch (error) {
      this.logger.warn(`C2B registration for ${sellerId} failed: ${String(error)}`);
      if (error instanceof DarajaError) throw AppError.conflict(`Daraja refused the registration: ${error.message}`);
      throw AppError.timeout('Daraja did not answer the registration; try again');
    }
    const saved = await this.uow.run(async ({ em }) => {
      const s = await em.findOneOrFail(MpesaSettings, { sellerId });
      Object.assign(s, { c2bRegisteredAt: new Date(), c2bResponseType: responseType });
      await em.flush();
      await this.audit.record(em, {
        sellerId,
        actor,
        action: 'mpesa.c2b-registered',
        target: sellerId,
        changes: {
          shortcode: creds.shortcode,
          responseType,
          confirmationUrl: confirmationUrl(this.config.publicBaseUrl, maskToken(token)),
        },
      });
      return s;
    });
    return {
      ...this.settings.c2bView(saved, token),
      shortcode: creds.shortcode,
      darajaResponse: answer,
    };
  }
}
