import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { isId, newId } from '../ids/ids.js';
import { DeliveryLogService } from '../webhooks/delivery-log.service.js';
import { WebhookSubscriptions } from '../webhooks/webhook-subscriptions.service.js';
import { webhookUrlProblem } from '../webhooks/url-guard.js';
import type {
  CreatePartnerWebhookDto,
  UpdatePartnerWebhookDto,
  PartnerDeliverySearchResult,
  PartnerWebhookQuery,
  PartnerWebhookResponse,
  PartnerWebhookSearchResult,
  SearchQuery,
} from './dto/partner.dto.js';
import { hookUrls, MAX_URLS_PER_HOOK } from './dto/partner.dto.js';
import { PartnerWebhook } from './entities/partner-webhook.entity.js';
import { PartnerAccessService } from './partner-access.service.js';
import { PARTNER_KIND } from './partner-hook.source.js';
import { clearUrlHealth, type DisabledUrl, disabledUrls } from './partner-url-health.js';

const ACCESS_REVOKED = "The shop revoked this company's access: nothing is sent until it grants it again";

/**
 * `dead`: the hook's URLs switched off by their failures; the hook reads as disabled once every URL is, or while the
 * shop it names does not grant the company access (`revoked`: it receives nothing then, and resumes on a new grant).
 */
function toResponse(h: PartnerWebhook, dead: DisabledUrl[] = [], revoked = false): PartnerWebhookResponse {
  const urls = new Set([...(h.url ? [h.url] : []), ...h.webHookUrls]);
  const off = dead.filter((d) => urls.has(d.url));
  const allOff = off.length > 0 && off.length === urls.size;
  const last = off.at(-1);
  const state = revoked
    ? { disabled: true, disabledReason: ACCESS_REVOKED, disabledAt: null }
    : {
        disabled: allOff,
        disabledReason: allOff ? `Every URL is switched off: ${last!.reason}` : null,
        disabledAt: allOff ? last!.disabledAt.getTime() : null,
      };
  return {
    id: h.id,
    companyId: h.companyId,
    shopId: h.shopId ?? null,
    created: h.createdAt.getTime(),
    modified: h.modifiedAt.getTime(),
    deleted: h.deleted,
    updated: h.updated,
    url: h.url ?? null,
    webHookType: h.webHookType ?? null,
    webHookUrls: h.webHookUrls,
    ...state,
    disabledUrls: off.map((d) => ({ url: d.url, reason: d.reason, disabledAt: d.disabledAt.getTime() })),
  };
}

/** The partner API over a company's hooks; every query is scoped to the calling company. */
@Injectable()
export class PartnerWebhooksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly access: PartnerAccessService,
    private readonly config: AppConfig,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly log: DeliveryLogService,
  ) {}

  async create(companyId: string, dto: CreatePartnerWebhookDto): Promise<PartnerWebhookResponse> {
    assertUrlCount(dto.url ?? null, dto.webHookUrls);
    await this.assertUrls(dto.url, dto.webHookUrls);
    return this.uow.run(async ({ em }) => {
      if (dto.shopId !== undefined) await this.assertShop(em, companyId, dto.shopId);
      // A company's creates take turns, so two at once cannot both pass the limit.
      await em.execute(`select pg_advisory_xact_lock(hashtextextended('partner-hooks:' || ?, 0))`, [companyId]);
      const [{ n }] = await em.execute<{ n: string }[]>(
        'select count(*) as n from partner_webhooks where company_id = ? and not deleted',
        [companyId],
      );
      const max = this.config.partnerHooksPerCompany;
      if (Number(n) >= max)
        throw AppError.conflict(`A partner company can have at most ${max} webhooks; delete one first`);
      const hook = em.create(PartnerWebhook, {
        id: newId('partnerHook'),
        companyId,
        shopId: dto.shopId ?? null,
        url: dto.url ?? null,
        webHookType: dto.webHookType ?? null,
        webHookUrls: dto.webHookUrls,
        deleted: false,
        updated: false,
        isActive: true,
        consecutiveFailures: 0,
      });
      await em.flush();
      return toResponse(hook);
    });
  }

  /**
   * Fields left out keep their values; read-only fields in the body (id, created, deleted, disabled...) are ignored.
   */
  async replace(companyId: string, id: string, dto: UpdatePartnerWebhookDto): Promise<PartnerWebhookResponse> {
    return this.uow.run(async (tx) => {
      const { em } = tx;
      const hook = await this.find(em, companyId, id);
      const next = {
        shopId: dto.shopId ?? hook.shopId ?? null,
        url: dto.url === undefined ? (hook.url ?? null) : dto.url,
        webHookType: dto.webHookType === undefined ? (hook.webHookType ?? null) : dto.webHookType,
        webHookUrls: dto.webHookUrls ?? hook.webHookUrls,
      };
      assertUrlCount(next.url, next.webHookUrls);
      await this.assertUrls(dto.url ?? undefined, dto.webHookUrls ?? []);
      if (dto.shopId !== undefined && dto.shopId !== hook.shopId) await this.assertShop(em, companyId, dto.shopId);
      Object.assign(hook, { ...next, updated: true, modifiedAt: new Date() });
      await em.flush();
      // A PUT switches back on every URL the engine switched off (410, or failed deliveries in a row); what was paused
      // for them is sent again, in order.
      if (await clearUrlHealth(em, hook.id)) {
        await this.subscriptions.resume(em, PARTNER_KIND, hook.id, (hook) => tx.afterCommit(hook));
      }
      tx.afterCommit(() => this.subscriptions.changed(PARTNER_KIND, hook.id));
      return toResponse(hook);
    });
  }

  /** A deleted hook is still found by id, with `deleted: true`; lists leave it out. */
  async get(companyId: string, id: string): Promise<PartnerWebhookResponse> {
    const em = this.em.fork();
    const hook = await this.find(em, companyId, id, true);
    const revoked = await this.revokedShops(em, companyId, [hook]);
    return toResponse(hook, (await disabledUrls(em, [hook.id])).get(hook.id), revoked.has(hook.shopId ?? ''));
  }

  /** The shops named by these hooks that no longer grant the company access. */
  private async revokedShops(em: EntityManager, companyId: string, hooks: PartnerWebhook[]): Promise<Set<string>> {
    const named = [...new Set(hooks.flatMap((h) => (h.shopId && !h.deleted ? [h.shopId] : [])))];
    const granting = await this.access.grantingShops(em, companyId, named);
    return new Set(named.filter((shop) => !granting.has(shop)));
  }

  async search(companyId: string, q: PartnerWebhookQuery): Promise<PartnerWebhookSearchResult> {
    const where = {
      companyId,
      deleted: false,
      ...(q.shopId ? { shopId: q.shopId } : {}),
      ...(q.type ? { webHookType: q.type } : {}),
    };
    const em = this.em.fork();
    const [rows, total] = await em.findAndCount(PartnerWebhook, where, {
      orderBy: { createdAt: 'asc', id: 'asc' },
      limit: q.limit,
      offset: q.start,
    });
    const dead = await disabledUrls(
      em,
      rows.map((h) => h.id),
    );
    const revoked = await this.revokedShops(em, companyId, rows);
    return {
      values: rows.map((h) => toResponse(h, dead.get(h.id), revoked.has(h.shopId ?? ''))),
      total,
      start: q.start,
      limit: q.limit,
    };
  }

  /** Soft delete: `deleted: true`, then 404 and gone from lists; no further deliveries. */
  async remove(companyId: string, id: string): Promise<void> {
    await this.uow.run(async ({ em }) => {
      const hook = await this.find(em, companyId, id);
      Object.assign(hook, { deleted: true, modifiedAt: new Date() });
      await em.flush();
    });
  }

  async deliveries(companyId: string, id: string, q: SearchQuery): Promise<PartnerDeliverySearchResult> {
    const hook = await this.find(this.em.fork(), companyId, id);
    const { rows, total } = await this.log.page(PARTNER_KIND, hook.id, {
      offset: q.start,
      limit: q.limit,
      withAttempts: true,
    });
    return {
      values: rows.map((r) => ({
        id: r.id,
        eventId: r.eventId,
        webHookType: r.eventName,
        url: r.url,
        status: r.status,
        created: r.createdAt.getTime(),
        attempts: (r.attemptLog ?? []).map((a) => ({
          attempt: a.attempt,
          at: a.startedAt.getTime(),
          statusCode: a.statusCode,
          durationMs: a.durationMs,
          error: a.error,
        })),
      })),
      total,
      start: q.start,
      limit: q.limit,
    };
  }

  private async find(em: EntityManager, companyId: string, id: string, withDeleted = false): Promise<PartnerWebhook> {
    const hook = isId('partnerHook', id)
      ? await em.findOne(PartnerWebhook, { id, companyId, ...(withDeleted ? {} : { deleted: false }) })
      : null;
    if (!hook) throw AppError.notFound('Partner webhook');
    return hook;
  }

  /** A shop that has not granted this company access is, to the company, a shop that does not exist. */
  private async assertShop(em: EntityManager, companyId: string, shopId: string): Promise<void> {
    if (!isId('seller', shopId) || !(await this.access.hasAccess(em, shopId, companyId)))
      throw AppError.notFound('Shop');
  }

  private async assertUrls(url: string | undefined, webHookUrls: string[]): Promise<void> {
    const policy = { allowPrivate: this.config.webhooks.allowPrivateUrls, requireHttps: this.config.isProduction };
    const checks = [...(url ? [['url', url]] : []), ...webHookUrls.map((u, i) => [`webHookUrls.${i}`, u])];
    for (const [field, url] of checks) {
      const problem = await webhookUrlProblem(url, policy);
      if (problem) throw AppError.validation(`${field} ${problem}`, [{ field, message: `${field} ${problem}` }]);
    }
  }
}

/** One event becomes at most MAX_URLS_PER_HOOK POSTs per hook. */
function assertUrlCount(url: string | null, webHookUrls: string[]): void {
  if (hookUrls(url, webHookUrls).length > MAX_URLS_PER_HOOK) {
    const message = `A webhook may have at most ${MAX_URLS_PER_HOOK} distinct URLs (url and webHookUrls together)`;
    throw AppError.validation(message, [{ field: 'webHookUrls', message }]);
  }
}
