import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { sampleEventData } from '../events/event-examples.js';
import { isId } from '../ids/ids.js';
import { DeliveryEngine } from './delivery/delivery.engine.js';
import { DeliveryStore } from './delivery/delivery.store.js';
import type { DeliveriesQuery, DeliveryDetailResponse, DeliveryPage } from './dto/webhook.dto.js';
import { WebhookAttempt } from './entities/webhook-attempt.entity.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { SELLER_KIND, sellerBody } from './subscriptions/seller-endpoint.source.js';
import { toAttemptResponse, toDeliveryResponse } from './webhook.mapper.js';
import { WebhooksService } from './webhooks.service.js';
import { DeliveryLogService, toLogged } from './delivery-log.service.js';

/** The delivery log of an endpoint, and sending things again. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly endpoints: WebhooksService,
    private readonly store: DeliveryStore,
    private readonly engine: DeliveryEngine,
    private readonly config: AppConfig,
    private readonly log: DeliveryLogService,
  ) {}

  async list(sellerId: string, endpointId: string, query: DeliveriesQuery): Promise<DeliveryPage> {
    await this.endpoints.find(this.em.fork(), sellerId, endpointId);
    const { rows, total } = await this.log.page(SELLER_KIND, endpointId, {
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
      status: query.status,
      eventName: query.event,
    });
    return { data: rows.map(toDeliveryResponse), page: query.page, limit: query.limit, total };
  }

  async get(
    sellerId: string,
    endpointId: string,
    deliveryId: string,
    revealSignatures = true,
  ): Promise<DeliveryDetailResponse> {
    const em = this.em.fork();
    const delivery = await this.find(em, sellerId, endpointId, deliveryId);
    const attempts = await em.find(WebhookAttempt, { deliveryId: delivery.id }, { orderBy: { attempt: 'asc' } });
    return {
      ...toDeliveryResponse(toLogged(delivery)),
      payload: JSON.parse(delivery.body) as unknown,
      attemptLog: attempts.map((a) => toAttemptResponse(a, revealSignatures)),
    };
  }

  /** Sends one delivery again with a fresh set of attempts, whatever its state. */
  async redeliver(sellerId: string, endpointId: string, deliveryId: string): Promise<DeliveryDetailResponse> {
    const em = this.em.fork();
    const delivery = await this.find(em, sellerId, endpointId, deliveryId);
    if (delivery.status === 'PENDING') throw AppError.conflict('This delivery is already queued');
    await this.store.requeue(em, 'id = ?', [delivery.id], this.config.webhooks.maxAttempts);
    this.engine.nudge();
    return this.get(sellerId, endpointId, deliveryId);
  }

  /** Queues again every delivery of this endpoint that failed since `since`. */
  async recover(sellerId: string, endpointId: string, since: Date): Promise<{ requeued: number }> {
    const em = this.em.fork();
    await this.endpoints.find(em, sellerId, endpointId);
    const requeued = await this.store.requeue(
      em,
      `seller_id = ? and subscriber_kind = ? and subscription_id = ? and status = 'FAILED' and created_at >= ?`,
      [sellerId, SELLER_KIND, endpointId, since],
      this.config.webhooks.maxAttempts,
    );
    if (requeued) this.engine.nudge();
    return { requeued };
  }

  /**
   * A sample ORDER_CREATED through the real engine, marked as a test (`X-SokoHub-Test: true`, `"test": true`); sent
   * even while the endpoint is off, so a fix can be checked before switching it on, and never counted toward
   * auto-disable. Answers once the first attempt is done (or the timeout passes).
   */
  async sendTest(sellerId: string, endpointId: string): Promise<DeliveryDetailResponse> {
    const endpoint = await this.endpoints.find(this.em.fork(), sellerId, endpointId);
    const event = new DomainEvent('ORDER_CREATED', sellerId, {
      ...sampleEventData('ORDER_CREATED'),
      orderId: 'ord_test_00000000000000000000',
      referenceCode: 'SKH-TEST-00000',
    });
    const draft = { kind: SELLER_KIND, subscriptionId: endpoint.id, url: endpoint.url, body: sellerBody(event, true) };
    const { maxAttempts, pausedRecheckMs: recheckMs } = this.config.webhooks;
    const [deliveryId] = await this.uow.run(({ em }) =>
      this.store.insert(em, event, [draft], { maxAttempts, recheckMs, test: true }),
    );
    // Woken by this instance's engine when the attempt is recorded; when another instance claimed it, a few slow
    // reads (once a second) find its result instead.
    const deadline = Date.now() + this.config.webhooks.timeoutMs + 2000;
    const waited = this.engine.attempted(deliveryId, this.config.webhooks.timeoutMs + 2000);
    this.engine.nudge();
    const race = { over: false };
    await Promise.race([waited, this.attemptedElsewhere(deliveryId, deadline, race)]);
    race.over = true;
    return this.get(sellerId, endpointId, deliveryId);
  }

  private async attemptedElsewhere(deliveryId: string, deadline: number, race: { over: boolean }): Promise<void> {
    while (Date.now() < deadline && !race.over) {
      await new Promise((r) => setTimeout(r, 1000));
      if (race.over) return;
      const row = await this.em.fork().findOne(WebhookDelivery, { id: deliveryId });
      if (!row || row.attempts > 0 || row.status !== 'PENDING') return;
    }
  }

  private async find(
    em: EntityManager,
    sellerId: string,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDelivery> {
    await this.endpoints.find(em, sellerId, endpointId);
    const delivery = isId('delivery', deliveryId)
      ? await em.findOne(WebhookDelivery, {
          id: deliveryId,
          sellerId,
          subscriberKind: SELLER_KIND,
          subscriptionId: endpointId,
        })
      : null;
    if (!delivery) throw AppError.notFound('Delivery');
    return delivery;
  }
}
