import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '../auth/audit/audit-log.service.js';
import type { Actor } from '../auth/auth-user.js';
import { AppConfig } from '../config/app-config.js';
import { SecretBox, secretRow } from '../crypto/secret-box.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import type { MpesaSettingsDto, MpesaSettingsResponse } from './dto/payment.dto.js';
import { MpesaSettings } from './entities/mpesa-settings.entity.js';
import type { DarajaCredentials } from './mpesa/daraja.client.js';
import { confirmationUrl, hashUrlToken, isUrlToken, newUrlToken, validationUrl } from './c2b/c2b-urls.js';

/** Who Daraja's Transaction Status API runs as (the shop's API operator). */
export interface Initiator {
  name: string;
  securityCredential: string;
}

/** The first four characters and a mask: enough to tell two URLs apart, never enough to use one. */
export const maskToken = (token: string): string => `${token.slice(0, 4)}${'•'.repeat(8)}`;

/**
 * A shop's Daraja credentials: stored encrypted, used for STK pushes, never shown back. The callback token is found
 * by its SHA-256 and kept sealed only to build the CallBackURL of each push.
 */
@Injectable()
export class MpesaSettingsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  async save(sellerId: string, dto: MpesaSettingsDto, actor: Actor): Promise<MpesaSettingsResponse> {
    const row = secretRow('mpesa_settings', sellerId);
    const token = await this.uow.run(async ({ em }) => {
      const existing = await em.findOne(MpesaSettings, { sellerId });
      await this.audit.record(em, {
        sellerId,
        actor,
        action: 'mpesa.settings-saved',
        target: sellerId,
        changes: {
          shortcode: dto.shortcode,
          environment: dto.environment,
          ...(existing && existing.shortcode !== dto.shortcode ? { previousShortcode: existing.shortcode } : {}),
          credentials: 'replaced (never shown)',
          ...(dto.initiatorName != null || dto.securityCredential != null
            ? { initiator: 'replaced (never shown)' }
            : {}),
          ...(dto.c2bValidation != null ? { c2bValidation: dto.c2bValidation } : {}),
        },
      });
      const fields = {
        shortcode: dto.shortcode,
        environment: dto.environment,
        passkeyEnc: this.box.seal(dto.passkey, row),
        consumerKeyEnc: this.box.seal(dto.consumerKey, row),
        consumerSecretEnc: this.box.seal(dto.consumerSecret, row),
        // Omitted: kept as they were (they are never shown, so a form cannot send them back).
        ...(dto.initiatorName != null ? { initiatorNameEnc: this.box.seal(dto.initiatorName, row) } : {}),
        ...(dto.securityCredential != null
          ? { securityCredentialEnc: this.box.seal(dto.securityCredential, row) }
          : {}),
        ...(dto.c2bValidation != null ? { c2bValidation: dto.c2bValidation } : {}),
      };
      // A first save makes the callback token; a re-save keeps it (pushes in flight carry it).
      if (existing) em.assign(existing, fields);
      const created = existing ? undefined : newUrlToken();
      if (created) em.create(MpesaSettings, { sellerId, ...fields, ...this.tokenFields(sellerId, created) });
      await em.flush();
      // New initiator credentials: till payments that were waiting for them are checked in the next round.
      if (dto.initiatorName != null || dto.securityCredential != null)
        await em.execute(
          `update payments set next_query_at = now(), query_attempts = 0 where seller_id = ? and method = 'C2B'
           and status = 'PENDING' and not receipt_verified`,
          [sellerId],
        );
      return created;
    });
    return this.view(sellerId, token);
  }

  /**
   * What the owner sees of the settings. The callback token is shown whole once, to the session that created it
   * (`shownToken`); afterwards masked: a VIEWER, a key or a stolen session reading the settings cannot forge callbacks.
   */
  async view(sellerId: string, shownToken?: string): Promise<MpesaSettingsResponse> {
    const settings = await this.em.fork().findOne(MpesaSettings, { sellerId });
    if (!settings)
      return {
        configured: false,
        shortcode: null,
        environment: null,
        callbackUrl: null,
        callbackTokenShown: false,
        initiatorConfigured: false,
        c2bValidation: false,
        c2b: { registered: false, registeredAt: null, confirmationUrl: null, validationUrl: null, responseType: null },
        updatedAt: null,
      };
    const token = this.box.open(settings.callbackTokenEnc, secretRow('mpesa_settings', settings.sellerId));
    return {
      configured: true,
      shortcode: settings.shortcode,
      environment: settings.environment,
      callbackUrl: this.urlFor(shownToken ?? maskToken(token)),
      callbackTokenShown: shownToken !== undefined,
      initiatorConfigured: !!settings.initiatorNameEnc && !!settings.securityCredentialEnc,
      c2bValidation: settings.c2bValidation,
      c2b: this.c2bView(settings),
      updatedAt: settings.updatedAt,
    };
  }

  /** The C2B registration as every read shows it: URLs with the token masked. */
  c2bView(settings: MpesaSettings, shownToken?: string): MpesaSettingsResponse['c2b'] {
    const token = settings.c2bTokenEnc
      ? (shownToken ?? maskToken(this.box.open(settings.c2bTokenEnc, secretRow('mpesa_settings', settings.sellerId))))
      : undefined;
    return {
      registered: !!settings.c2bRegisteredAt,
      registeredAt: settings.c2bRegisteredAt ?? null,
      confirmationUrl: token ? confirmationUrl(this.config.publicBaseUrl, token) : null,
      validationUrl: token ? validationUrl(this.config.publicBaseUrl, token) : null,
      responseType: settings.c2bResponseType ?? null,
    };
  }

  /** A new callback URL; the old one stops matching at once (pushes already sent carry the old one: see the README). */
  async rotateCallback(sellerId: string, actor: Actor): Promise<{ callbackUrl: string }> {
    const token = newUrlToken();
    await this.uow.run(async ({ em }) => {
      const settings = await em.findOne(MpesaSettings, { sellerId });
      if (!settings) throw AppError.notFound('M-Pesa settings');
      em.assign(settings, this.tokenFields(sellerId, token));
      await em.flush();
      await this.audit.record(em, {
        sellerId,
        actor,
        action: 'mpesa.callback-rotated',
        target: sellerId,
        changes: { callbackUrl: this.urlFor(maskToken(token)) },
      });
    });
    return { callbackUrl: this.urlFor(token) };
  }

  /**
   * Decrypted credentials for one push, or undefined when the shop has none (orders then wait for a manual payment).
   */
  async credentials(
    em: EntityManager,
    sellerId: string,
  ): Promise<(DarajaCredentials & { callbackUrl: string; initiator?: Initiator }) | undefined> {
    const s = await em.findOne(
      MpesaSettings,
      { sellerId },
      {
        populate: ['passkeyEnc', 'consumerKeyEnc', 'consumerSecretEnc', 'initiatorNameEnc', 'securityCredentialEnc'],
      },
    );
    if (!s) return undefined;
    const row = secretRow('mpesa_settings', sellerId);
    return {
      environment: s.environment,
      shortcode: s.shortcode,
      passkey: this.box.open(s.passkeyEnc, row),
      consumerKey: this.box.open(s.consumerKeyEnc, row),
      consumerSecret: this.box.open(s.consumerSecretEnc, row),
      callbackUrl: this.callbackUrl(s),
      ...(s.initiatorNameEnc && s.securityCredentialEnc
        ? {
            initiator: {
              name: this.box.open(s.initiatorNameEnc, row),
              securityCredential: this.box.open(s.securityCredentialEnc, row),
            },
          }
        : {}),
    };
  }

  /** Whether the shop has Daraja credentials, so its M-Pesa orders get a PIN prompt (nothing decrypted). */
  async sendsPrompts(em: EntityManager, sellerId: string): Promise<boolean> {
    return (await em.count(MpesaSettings, { sellerId })) > 0;
  }

  /** The shop whose callback token this is. */
  async sellerForToken(token: string): Promise<string | undefined> {
    if (!isUrlToken(token)) return undefined;
    const s = await this.em.fork().findOne(MpesaSettings, { callbackTokenHash: hashUrlToken(token) });
    return s?.sellerId;
  }

  private tokenFields(sellerId: string, token: string): Pick<MpesaSettings, 'callbackTokenHash' | 'callbackTokenEnc'> {
    return {
      callbackTokenHash: hashUrlToken(token),
      callbackTokenEnc: this.box.seal(token, secretRow('mpesa_settings', sellerId)),
    };
  }

  private callbackUrl(settings: MpesaSettings): string {
    return this.urlFor(this.box.open(settings.callbackTokenEnc, secretRow('mpesa_settings', settings.sellerId)));
  }

  private urlFor(token: string): string {
    return `${this.config.publicBaseUrl}/api/payments/mpesa/callback/${token}`;
  }
}
