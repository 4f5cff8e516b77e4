import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Page, PageQuery } from '../common/dto/pagination.dto.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import type { EventName } from '../events/event-catalogue.js';
import { isId, newId } from '../ids/ids.js';
import { StockService } from '../products/stock.service.js';
import type { OrderQuery, OrderResponse } from './dto/order.dto.js';
import { OrderItem } from './entities/order-item.entity.js';
import { OrderTimelineEntry } from './entities/order-timeline.entity.js';
import { Order, PAID_ORDER_STATUSES } from './entities/order.entity.js';
import { orderWhere } from './order-filter.js';
import { move, type OrderAction, PAYMENT_TIMEOUT } from './order-state.js';
import { toOrderEvent, toOrderLineFact, toOrderResponse } from './order.mapper.js';

const PAID = new Set<string>(PAID_ORDER_STATUSES);

/** The event each move publishes; reopening publishes none (the payment that reopened it says ORDER_PAID). */
const EVENT_OF: Partial<Record<OrderAction, EventName>> = {
  pay: 'ORDER_PAID',
  confirm: 'ORDER_CONFIRMED',
  dispatch: 'ORDER_DISPATCHED',
  deliver: 'ORDER_DELIVERED',
  cancel: 'ORDER_CANCELLED',
};

export interface PaymentFacts {
  /** Null when a status query, not a callback, confirmed the payment (queries carry no receipt). */
  mpesaReceipt: string | null;
  /** What this payment adds to the order's amountPaidKes. */
  amountKes: number;
  paidAt: Date;
  actor: string;
  note?: string;
}

/**
 * A seller's orders: reading them, and every move of the lifecycle (one transaction, one timeline entry, one event).
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly stock: StockService,
  ) {}

  async list(sellerId: string, query: OrderQuery, customerId?: string): Promise<Page<OrderResponse>> {
    const em = this.em.fork();
    const where = orderWhere(sellerId, query, customerId);
    const [orders, total] = await em.findAndCount(Order, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: query.limit,
      offset: (query.page - 1) * query.limit,
    });
    return { data: await this.render(em, orders), page: query.page, limit: query.limit, total };
  }

  /** The order an Idempotency-Key made, with the hash of the body that made it. */
  async findByIdempotencyKey(
    sellerId: string,
    key: string,
  ): Promise<{ order: OrderResponse; bodyHash: string | null; stkPrompt: boolean } | undefined> {
    const em = this.em.fork();
    const order = await em.findOne(Order, { sellerId, idempotencyKey: key });
    if (!order) return undefined;
    return {
      order: (await this.render(em, [order]))[0],
      bodyHash: order.idempotencyHash ?? null,
      stkPrompt: order.stkPrompt,
    };
  }

  listForCustomer(sellerId: string, customerId: string, page: PageQuery): Promise<Page<OrderResponse>> {
    return this.list(sellerId, { page: page.page, limit: page.limit }, customerId);
  }

  async get(sellerId: string, id: string): Promise<OrderResponse> {
    const em = this.em.fork();
    const [rendered] = await this.render(em, [await this.find(em, sellerId, id)]);
    return rendered;
  }

  /** confirm, dispatch, deliver or cancel; any other move is 409 naming the move and the state. */
  async transition(
    sellerId: string,
    id: string,
    action: Exclude<OrderAction, 'pay'>,
    actor: string,
    note?: string,
  ): Promise<OrderResponse> {
    await this.uow.run(async (tx) => {
      const order = await this.find(tx.em, sellerId, id, true);
      await this.apply(tx, order, action, actor, note);
      if (action === 'cancel') {
        order.cancelReason = note ?? null;
        await this.restock(tx, order);
      }
      await tx.em.flush();
    });
    return this.get(sellerId, id);
  }

  /**
   * Inside a payment's transaction: marks a PENDING order PAID with its receipt. False when the order is no longer
   * PENDING (cancelled, already paid): the payment is then flagged for the seller, never silently dropped.
   */
  async applyPayment(tx: Tx, sellerId: string, orderId: string, facts: PaymentFacts): Promise<boolean> {
    const order = await this.find(tx.em, sellerId, orderId, true);
    if (!move(order.status, 'pay', order.paymentMethod).ok) return false;
    order.mpesaReceipt = facts.mpesaReceipt;
    order.paidAt = facts.paidAt;
    order.amountPaidKes += facts.amountKes;
    await this.apply(tx, order, 'pay', facts.actor, facts.note);
    await tx.em.flush();
    return true;
  }

  /** Inside a payment's transaction: part of the total arrived; the order stays PENDING and shows what is due. */
  async addPartPayment(tx: Tx, order: Order, amountKes: number, actor: string, note: string): Promise<void> {
    order.amountPaidKes += amountKes;
    tx.em.create(OrderTimelineEntry, { id: newId('timeline'), orderId: order.id, status: order.status, actor, note });
    await tx.em.flush();
  }

  /**
   * Inside a payment's transaction: money for a cash-on-delivery order on its way (paid at the door). The order keeps
   * its state; once all of it is in, it carries the receipt and the time like an order paid before confirming.
   */
  async collect(
    tx: Tx,
    order: Order,
    receipt: string | null,
    amountKes: number,
    actor: string,
    note: string,
  ): Promise<void> {
    if (order.amountPaidKes + amountKes >= order.totalKes)
      Object.assign(order, { mpesaReceipt: receipt, paidAt: new Date() });
    await this.addPartPayment(tx, order, amountKes, actor, note);
  }

  /**
   * Inside a payment's transaction: an order the payment timeout cancelled while its payment was in flight becomes
   * PENDING again, its units taken back, if they all still can be. False when it cannot (another reason, or stock).
   */
  async reopenForPayment(tx: Tx, order: Order, actor: string, note: string): Promise<boolean> {
    if (!move(order.status, 'reopen', order.paymentMethod, order.cancelReason).ok) return false;
    const items = await tx.em.find(
      OrderItem,
      { orderId: order.id },
      { orderBy: { productId: 'asc', variantId: 'asc' } },
    );
    const lines = items.map((i) => ({ productId: i.productId, variantId: i.variantId ?? null, quantity: i.quantity }));
    if (!(await this.stock.canTake(tx, order.sellerId, lines))) return false;
    for (const l of lines) await this.stock.adjust(tx, order.sellerId, { ...l, delta: -l.quantity });
    await this.apply(tx, order, 'reopen', actor, note);
    order.cancelReason = null;
    await tx.em.flush();
    return true;
  }

  /**
   * Releases the stock of orders nobody will complete: storefront M-Pesa orders unpaid after `olderThanMin` minutes
   * ("payment timeout"), and orders with a hold — cash on delivery the seller has not confirmed ("not confirmed in
   * time"), and orders the shop took itself and nobody has paid ("payment timeout") — once it ends.
   * Claimed with SKIP LOCKED so instances share the work; NO KEY UPDATE, because a plain FOR UPDATE would also skip
   * every order whose payment row is being inserted (the foreign key holds KEY SHARE on it) and leave it unexpired.
   * An M-Pesa order partly paid at the till is never cancelled by the clock: the buyer is paying, and only the seller
   * may decide to refund.
   */
  async cancelUnpaid(olderThanMin: number, limit: number): Promise<number> {
    return this.uow.run(async (tx) => {
      const unpaid = await tx.em.execute<{ id: string; reason: string }[]>(
        `select id, ? as reason from orders where status = 'PENDING' and payment_method = 'MPESA'
           and amount_paid_kes = 0 and hold_expires_at is null and created_at < now() - make_interval(mins => ?)
         order by created_at limit ? for no key update skip locked`,
        [PAYMENT_TIMEOUT, olderThanMin, limit],
      );
      const unconfirmed = await tx.em.execute<{ id: string; reason: string }[]>(
        `select id, case when payment_method = 'MPESA' then ? else 'not confirmed in time' end as reason
         from orders where status = 'PENDING' and hold_expires_at < now()
           and (payment_method <> 'MPESA' or amount_paid_kes = 0)
         order by hold_expires_at limit ? for no key update skip locked`,
        [PAYMENT_TIMEOUT, limit],
      );
      const rows = [...unpaid, ...unconfirmed];
      for (const { id, reason } of rows) {
        const order = await tx.em.findOneOrFail(Order, { id });
        await this.apply(tx, order, 'cancel', 'system', reason);
        order.cancelReason = reason;
        await this.restock(tx, order);
      }
      await tx.em.flush();
      return rows.length;
    });
  }

  /** Fills in the receipt a late callback brings for an order a status query marked paid. */
  async fillReceipt(tx: Tx, sellerId: string, orderId: string, receipt: string): Promise<void> {
    await tx.em.execute(
      'update orders set mpesa_receipt = ? where id = ? and seller_id = ? and mpesa_receipt is null',
      [receipt, orderId, sellerId],
    );
  }

  /** A trusted receipt replaces the unverified one an order carried (or fills an empty one). */
  async setReceipt(tx: Tx, sellerId: string, orderId: string, receipt: string, replaced: string | null): Promise<void> {
    await tx.em.execute(
      `update orders set mpesa_receipt = ? where id = ? and seller_id = ?
         and (mpesa_receipt is null or mpesa_receipt = ?)`,
      [receipt, orderId, sellerId, replaced],
    );
  }

  /** The order's total and state, for payments (same shop only). */
  async summary(
    em: EntityManager,
    sellerId: string,
    orderId: string,
  ): Promise<Pick<Order, 'id' | 'totalKes' | 'status' | 'referenceCode' | 'customerPhone' | 'paymentMethod'>> {
    return this.find(em, sellerId, orderId);
  }

  async find(em: EntityManager, sellerId: string, id: string, lock = false): Promise<Order> {
    const order = isId('order', id)
      ? await em.findOne(Order, { id, sellerId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {})
      : null;
    if (!order) throw AppError.notFound('Order');
    return order;
  }

  private async apply(tx: Tx, order: Order, action: OrderAction, actor: string, note?: string): Promise<void> {
    const result = move(order.status, action, order.paymentMethod, order.cancelReason);
    if (!result.ok) throw AppError.conflict(result.reason);
    const from = order.status;
    const wasPaid = PAID.has(from);
    order.status = result.to;
    const isPaid = PAID.has(order.status);
    // The lines matter only to what counts paid sales; a move that keeps the paid state skips the read.
    const lines = wasPaid === isPaid ? [] : await tx.em.find(OrderItem, { orderId: order.id });
    await tx.emit('order.status-changed', {
      sellerId: order.sellerId,
      orderId: order.id,
      customerId: order.customerId,
      placedAt: order.createdAt,
      totalKes: order.totalKes,
      from,
      to: order.status,
      wasPaid,
      isPaid,
      lines: lines.map(toOrderLineFact),
    });
    tx.em.create(OrderTimelineEntry, {
      id: newId('timeline'),
      orderId: order.id,
      status: result.to,
      actor,
      note: note ?? null,
    });
    const event = EVENT_OF[action];
    if (event) await tx.publish(new DomainEvent(event, order.sellerId, toOrderEvent(order)));
  }

  /** Puts a cancelled order's units back; a product deleted since then has nothing to return to. */
  private async restock(tx: Tx, order: Order): Promise<void> {
    const items = await tx.em.find(
      OrderItem,
      { orderId: order.id },
      { orderBy: { productId: 'asc', variantId: 'asc' } },
    );
    for (const item of items) {
      try {
        await this.stock.adjust(tx, order.sellerId, {
          productId: item.productId,
          variantId: item.variantId,
          delta: item.quantity,
        });
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
      }
    }
  }

  private async render(em: EntityManager, orders: Order[]): Promise<OrderResponse[]> {
    if (!orders.length) return [];
    const ids = orders.map((o) => o.id);
    const [items, timeline] = await Promise.all([
      em.find(OrderItem, { orderId: { $in: ids } }, { orderBy: { id: 'asc' } }),
      em.find(OrderTimelineEntry, { orderId: { $in: ids } }, { orderBy: { at: 'asc', id: 'asc' } }),
    ]);
    return orders.map((o) =>
      toOrderResponse(
        o,
        items.filter((i) => i.orderId === o.id),
        timeline.filter((t) => t.orderId === o.id),
      ),
    );
  }
}
