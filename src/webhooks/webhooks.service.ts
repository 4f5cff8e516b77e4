import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { type AuditChanges, AuditLog } from '../auth/audit/audit-log.service.js';
import type { Actor } from '../auth/auth-user.js';
import { patchFields } from '../common/patch.js';
import { AppConfig } from '../config/app-config.js';
import { SecretBox, secretRow } from '../crypto/secret-box.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { isId, newId } from '../ids/ids.js';
import { DeliveryEngine } from './delivery/delivery.engine.js';
import { DeliveryStore } from './delivery/delivery.store.js';
import { newSigningSecret } from './signer.js';
import { webhookUrlProblem } from './url-guard.js';
import type {
  BacklogChoice,
  CreatedWebhookResponse,
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDetailResponse,
  WebhookResponse,
} from './dto/webhook.dto.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { SELLER_KIND } from './subscriptions/seller-endpoint.source.js';
import { toDeliveryResponse, toWebhookResponse } from './webhook.mapper.js';
import { toLogged } from './delivery-log.service.js';
import { WebhookSubscriptions } from './webhook-subscriptions.service.js';

export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

/** A seller's endpoints: create, change, switch on and off, rotate secrets, delete. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly store: DeliveryStore,
    private readonly engine: DeliveryEngine,
    private readonly config: AppConfig,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly audit: AuditLog,
  ) {}

  async list(sellerId: string): Promise<WebhookResponse[]> {
    const em = this.em.fork();
    const endpoints = await em.find(WebhookEndpoint, { sellerId }, { orderBy: { createdAt: 'asc' } });
    const parked = await this.store.parkedCounts(
      em,
      SELLER_KIND,
      endpoints.map((e) => e.id),
    );
    return endpoints.map((e) => toWebhookResponse(e, parked.get(e.id)));
  }

  async get(sellerId: string, id: string): Promise<WebhookDetailResponse> {
    const em = this.em.fork();
    const endpoint = await this.find(em, sellerId, id);
    const recent = await em.find(
      WebhookDelivery,
      { subscriptionId: endpoint.id, sellerId },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 20 },
    );
    // "Get endpoint details + last 20 deliveries" (the reference): `deliveries`, the name a client guesses first.
    const deliveries = recent.map((d) => toDeliveryResponse(toLogged(d)));
    return { ...(await this.respond(em, endpoint)), deliveries, recentDeliveries: deliveries };
  }

  async create(sellerId: string, dto: CreateWebhookDto, actor: Actor): Promise<CreatedWebhookResponse> {
    await this.assertUrl(dto.url);
    const secret = newSigningSecret();
    const endpoint = await this.uow.run(async ({ em }) => {
      // One shop's creates take turns (a transaction-scoped advisory lock on the shop), so two concurrent creates
      // cannot both pass the limit; webhooks locks nothing of another module's.
      await em.execute(`select pg_advisory_xact_lock(hashtextextended('webhook-endpoints:' || ?, 0))`, [sellerId]);
      const count = await em.count(WebhookEndpoint, { sellerId });
      if (count >= this.config.webhooks.maxEndpointsPerShop) {
        throw AppError.conflict(
          `A shop can have at most ${this.config.webhooks.maxEndpointsPerShop} webhook endpoints`,
        );
      }
      const id = newId('webhook');
      const created = em.create(WebhookEndpoint, {
        id,
        sellerId,
        url: dto.url,
        description: dto.description ?? null,
        events: dto.events,
        secretEnc: this.box.seal(secret, secretRow('webhook_endpoints', id)),
        isActive: true,
        consecutiveFailures: 0,
      });
      await em.flush();
      await this.audit.record(em, {
        sellerId,
        actor,
        action: 'webhook.created',
        target: id,
        changes: { url: dto.url, events: dto.events },
      });
      return created;
    });
    return { ...toWebhookResponse(endpoint), secret };
  }

  async update(sellerId: string, id: string, dto: UpdateWebhookDto, actor: Actor): Promise<WebhookResponse> {
    const fields = patchFields(dto, ['url', 'events']);
    if (fields.url !== undefined) await this.assertUrl(fields.url);
    const result = await this.uow.run(async ({ em }) => {
      const endpoint = await this.find(em, sellerId, id);
      const changes: AuditChanges = {};
      if (fields.url !== undefined && fields.url !== endpoint.url) {
        changes.previousUrl = endpoint.url;
        changes.url = fields.url;
      }
      if (fields.events !== undefined) changes.events = fields.events;
      if (fields.description !== undefined) changes.description = fields.description ?? null;
      em.assign(endpoint, fields);
      await em.flush();
      await this.audit.record(em, { sellerId, actor, action: 'webhook.updated', target: id, changes });
      return toWebhookResponse(endpoint);
    });
    // Queued deliveries read the new URL when they are sent.
    this.engine.forget(SELLER_KIND, id);
    return result;
  }

  /**
   * Flips (or sets) isActive. Enabling clears the failure count and sends the parked deliveries in order, or drops
   * them (`backlog: discard`). Disabling by hand records nothing for the endpoint until it is switched back on.
   */
  async toggle(
    sellerId: string,
    id: string,
    isActive: boolean | undefined,
    backlog: BacklogChoice,
    actor: Actor,
  ): Promise<WebhookResponse> {
    const result = await this.uow.run(async (tx) => {
      const endpoint = await this.find(tx.em, sellerId, id, false, true);
      const next = isActive ?? !endpoint.isActive;
      if (next !== endpoint.isActive) {
        await this.audit.record(tx.em, {
          sellerId,
          actor,
          action: next ? 'webhook.enabled' : 'webhook.disabled',
          target: id,
          changes: next ? { isActive: true, backlog } : { isActive: false },
        });
      }
      if (next && !endpoint.isActive) await this.enable(tx, endpoint, backlog);
      if (!next && endpoint.isActive)
        Object.assign(endpoint, {
          isActive: false,
          disabledReason: 'Disabled by the seller',
          disabledAt: new Date(),
          disabledBy: 'SELLER',
        });
      // A hand switch-off also ends parking for an endpoint its failures had switched off.
      if (!next && endpoint.disabledBy === 'FAILURES') endpoint.disabledBy = 'SELLER';
      await tx.em.flush();
      return this.respond(tx.em, endpoint);
    });
    this.engine.forget(SELLER_KIND, id);
    return result;
  }

  /** A new secret, shown once; for 24 h deliveries carry signatures with both the old and the new one. */
  async rotateSecret(
    sellerId: string,
    id: string,
    actor: Actor,
  ): Promise<{ id: string; secret: string; previousSecretExpiresAt: Date }> {
    const secret = newSigningSecret();
    const previousSecretExpiresAt = new Date(Date.now() + ROTATION_GRACE_MS);
    await this.uow.run(async ({ em }) => {
      const endpoint = await this.find(em, sellerId, id, true);
      endpoint.previousSecretEnc = endpoint.secretEnc;
      endpoint.previousSecretExpiresAt = previousSecretExpiresAt;
      endpoint.secretEnc = this.box.seal(secret, secretRow('webhook_endpoints', endpoint.id));
      await em.flush();
      await this.audit.record(em, {
        sellerId,
        actor,
        action: 'webhook.secret-rotated',
        target: id,
        changes: { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() },
      });
    });
    this.engine.forget(SELLER_KIND, id);
    return { id, secret, previousSecretExpiresAt };
  }

  /** Removes the endpoint and its whole delivery history. */
  async remove(sellerId: string, id: string, actor: Actor): Promise<void> {
    await this.uow.run(async ({ em }) => {
      const endpoint = await this.find(em, sellerId, id);
      await this.audit.record(em, {
        sellerId,
        actor,
        action: 'webhook.deleted',
        target: id,
        changes: { url: endpoint.url, events: endpoint.events },
      });
      await em.execute('delete from webhook_deliveries where subscriber_kind = ? and subscription_id = ?', [
        SELLER_KIND,
        endpoint.id,
      ]);
      em.remove(endpoint);
      await em.flush();
    });
    this.engine.forget(SELLER_KIND, id);
  }

  async find(
    em: EntityManager,
    sellerId: string,
    id: string,
    withSecrets = false,
    forUpdate = false,
  ): Promise<WebhookEndpoint> {
    const endpoint = isId('webhook', id)
      ? await em.findOne(
          WebhookEndpoint,
          { id, sellerId },
          {
            ...(withSecrets ? { populate: ['secretEnc', 'previousSecretEnc'] as const } : {}),
            ...(forUpdate ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}),
          },
        )
      : null;
    if (!endpoint) throw AppError.notFound('Webhook endpoint');
    return endpoint;
  }

  private async enable(tx: Tx, endpoint: WebhookEndpoint, backlog: BacklogChoice): Promise<void> {
    Object.assign(endpoint, {
      isActive: true,
      disabledReason: null,
      disabledAt: null,
      disabledBy: null,
      consecutiveFailures: 0,
      parkedCount: 0,
    });
    if (backlog === 'discard') {
      await this.store.discardParked(tx.em, SELLER_KIND, endpoint.id);
      return;
    }
    await this.subscriptions.resume(tx.em, SELLER_KIND, endpoint.id, (hook) => tx.afterCommit(hook));
  }

  private async respond(em: EntityManager, endpoint: WebhookEndpoint): Promise<WebhookResponse> {
    const parked = await this.store.parkedCounts(em, SELLER_KIND, [endpoint.id]);
    return toWebhookResponse(endpoint, parked.get(endpoint.id));
  }

  private async assertUrl(url: string): Promise<void> {
    const problem = await webhookUrlProblem(url, {
      allowPrivate: this.config.webhooks.allowPrivateUrls,
      requireHttps: this.config.isProduction,
    });
    if (problem) throw AppError.validation(`url ${problem}`, [{ field: 'url', message: `url ${problem}` }]);
  }
}
