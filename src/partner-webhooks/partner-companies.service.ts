import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SecretBox, secretRow } from '../crypto/secret-box.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { isId, newId } from '../ids/ids.js';
import { newSigningSecret } from '../webhooks/signer.js';
import { hashApiKey, newApiKey } from './api-key.js';
import type { PartnerCreatedResponse, PartnerResponse, RotatedKeyResponse } from './dto/partner.dto.js';
import { PartnerCompany } from './entities/partner-company.entity.js';

function toPartnerResponse(c: PartnerCompany): PartnerResponse {
  return {
    id: c.id,
    name: c.name,
    apiKeyPrefix: c.apiKeyPrefix,
    revokedAt: c.revokedAt ?? null,
    createdAt: c.createdAt,
  };
}

/** Partner companies, managed by operators: API keys stored as SHA-256, signing secrets encrypted. */
@Injectable()
export class PartnerCompaniesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly box: SecretBox,
  ) {}

  async create(name: string): Promise<PartnerCreatedResponse> {
    const apiKey = newApiKey();
    const signingSecret = newSigningSecret();
    const company = await this.uow.run(async ({ em }) => {
      const id = newId('company');
      const signingSecretEnc = this.box.seal(signingSecret, secretRow('partner_companies', id));
      const c = em.create(PartnerCompany, {
        id,
        name,
        apiKeyHash: hashApiKey(apiKey),
        apiKeyPrefix: apiKey.slice(0, 8),
        signingSecretEnc,
        revokedAt: null,
      });
      await em.flush();
      return c;
    });
    return { id: company.id, name: company.name, apiKey, signingSecret };
  }

  async list(): Promise<PartnerResponse[]> {
    return (await this.em.fork().find(PartnerCompany, {}, { orderBy: { createdAt: 'asc' } })).map(toPartnerResponse);
  }

  async rotateKey(id: string): Promise<RotatedKeyResponse> {
    const apiKey = newApiKey();
    await this.uow.run(async ({ em }) => {
      const c = await this.find(em, id);
      Object.assign(c, { apiKeyHash: hashApiKey(apiKey), apiKeyPrefix: apiKey.slice(0, 8) });
      await em.flush();
    });
    return { id, apiKey };
  }

  /** Revoked: its key stops working and its hooks stop receiving (the source checks revoked_at). */
  async revoke(id: string): Promise<void> {
    await this.uow.run(async ({ em }) => {
      const c = await this.find(em, id);
      c.revokedAt ??= new Date();
      await em.flush();
    });
  }

  /** The company an API key belongs to, when it is not revoked. */
  async authenticate(apiKey: string): Promise<string | undefined> {
    if (!apiKey.startsWith('skp_') || apiKey.length > 100) return undefined;
    const c = await this.em.fork().findOne(PartnerCompany, { apiKeyHash: hashApiKey(apiKey), revokedAt: null });
    return c?.id;
  }

  async active(em: EntityManager, id: string): Promise<PartnerCompany | null> {
    return isId('company', id)
      ? em.findOne(PartnerCompany, { id, revokedAt: null }, { populate: ['signingSecretEnc'] })
      : null;
  }

  signingSecret(company: PartnerCompany): string {
    return this.box.open(company.signingSecretEnc, secretRow('partner_companies', company.id));
  }

  private async find(em: EntityManager, id: string): Promise<PartnerCompany> {
    const c = isId('company', id) ? await em.findOne(PartnerCompany, { id }) : null;
    if (!c) throw AppError.notFound('Partner company');
    return c;
  }
}
