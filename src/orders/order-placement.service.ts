import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { allOrFirstError } from '../common/all-or-first-error.js';
import { normalizeKenyanPhone } from '../common/phone.js';
import { AppConfig } from '../config/app-config.js';
import { CustomersService } from '../customers/customers.service.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { newId } from '../ids/ids.js';
import { ProductsService } from '../products/products.service.js';
import { type StockRow, StockService } from '../products/stock.service.js';
import { StorefrontService } from '../products/storefront.service.js';
import type { ManualOrderDto, OrderResponse, PlaceOrderDto } from './dto/order.dto.js';
import { toOrderEvent, toOrderLineFact, toOrderResponse } from './order.mapper.js';
import {
  type InsertedRow,
  orderInsertStatement,
  type PlacingEntry,
  type PlacingItem,
  type PlacingOrder,
} from './order-insert.statement.js';
import { OrderLimits } from './order-limits.service.js';
import { OrdersService } from './orders.service.js';

/** Why no PIN prompt went with an M-Pesa order, told to whoever placed it. */
const NO_PROMPT: Record<OrderSource['kind'], string> = {
  storefront:
    'Your order is placed, but we did not send an M-Pesa prompt: this phone has had too many payment prompts in ' +
    'the last hour. Pay the shop directly or try again later.',
  staff:
    'The order is placed, but no M-Pesa prompt went to the buyer: their phone has had too many payment prompts in ' +
    'the last hour. Ask them to pay your till, or send the prompt again later.',
};

/** What the storefront gets back: the order, and whether a PIN prompt is on its way to the phone. */
export type PlacedOrder = OrderResponse & { stkPrompt: boolean; notice: string | null };

interface Line {
  productId: string;
  variantId: string | null;
  quantity: number;
}

interface PricedLine extends Line {
  productName: string;
  variantName: string | null;
  unitPriceKes: number;
}

/**
 * Who places the order: a buyer on the storefront, from a network address, or the shop's own staff taking it by phone,
 * WhatsApp or at the stall (a member's user id, with an optional note for the timeline).
 */
export type OrderSource =
  | { kind: 'storefront'; storeSlug: string; client: string }
  | { kind: 'staff'; sellerId: string; actor: string; note?: string };

interface PlacingShop {
  sellerId: string;
  codHoldHours: number;
  /** The cap on one line's units: the shop's for the public, the body's own (1,000) for staff. */
  maxUnitsPerLine: number;
  source: OrderSource;
}

/**
 * Public order placement: prices from the database, stock taken atomically in the same transaction, a sequential
 * reference per shop and year, the customer found or created by phone, and Idempotency-Key replays.
 */
@Injectable()
export class OrderPlacementService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly stock: StockService,
    private readonly products: ProductsService,
    private readonly storefront: StorefrontService,
    private readonly customers: CustomersService,
    private readonly orders: OrdersService,
    private readonly limits: OrderLimits,
    private readonly config: AppConfig,
  ) {}

  async place(
    dto: PlaceOrderDto | ManualOrderDto,
    idempotencyKey: string | undefined,
    source: OrderSource,
  ): Promise<{ order: PlacedOrder; replayed: boolean }> {
    const phone = normalizeKenyanPhone(dto.customerPhone);
    if (!phone)
      throw AppError.validation('customerPhone must be a Kenyan mobile number such as 0712345678', [
        { field: 'customerPhone', message: 'must be a Kenyan mobile number such as 0712345678' },
      ]);
    if (idempotencyKey !== undefined && !/^[A-Za-z0-9_.:-]{1,100}$/.test(idempotencyKey)) {
      throw AppError.validation('Idempotency-Key must be 1-100 letters, digits or . _ : -', [
        { field: 'Idempotency-Key', message: 'invalid' },
      ]);
    }
    const shop =
      source.kind === 'storefront'
        ? await this.storefront.shopForOrders(source.storeSlug)
        : await this.storefront.shopForStaff(source.sellerId);
    const sellerId = shop.sellerId;
    // The key is bound to the request that first used it: the same key with another body is refused, never answered
    // with somebody else's order.
    const bodyHash = idempotencyKey ? createHash('sha256').update(JSON.stringify(dto)).digest('hex') : null;
    const replay = async (): Promise<{ order: PlacedOrder; replayed: boolean } | undefined> => {
      const existing = idempotencyKey ? await this.orders.findByIdempotencyKey(sellerId, idempotencyKey) : undefined;
      if (!existing) return undefined;
      if (existing.bodyHash !== bodyHash)
        throw AppError.conflict(
          'This Idempotency-Key was already used for a different order; use a new key for a new order',
        );
      return { order: { ...existing.order, stkPrompt: existing.stkPrompt, notice: null }, replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    try {
      const order = await this.uow.run(
        (tx) =>
          this.create(
            tx,
            {
              sellerId,
              codHoldHours: shop.codHoldHours ?? this.config.orders.codHoldHours,
              // Staff: the body's own 1,000 a line, also for a product listed twice and merged.
              maxUnitsPerLine: source.kind === 'storefront' ? this.limits.maxUnitsPerLine(shop.maxUnitsPerLine) : 1000,
              source,
            },
            dto,
            phone,
            idempotencyKey,
            bodyHash,
          ),
        { direct: true },
      );
      return { order, replayed: false };
    } catch (error) {
      // The same key raced in twice: the loser answers with the winner's order.
      if (idempotencyKey && error instanceof UniqueConstraintViolationException) {
        const raced = await replay();
        if (raced) return raced;
      }
      throw error;
    }
  }

  private async create(
    tx: Tx,
    shop: PlacingShop,
    dto: PlaceOrderDto | ManualOrderDto,
    phone: string,
    idempotencyKey: string | undefined,
    bodyHash: string | null,
  ): Promise<PlacedOrder> {
    const { sellerId } = shop;
    // First everything that takes no lock other buyers' orders wait on, asked for together so that it goes in one
    // round trip (Tx.sql), in this order: what the order's events will need (the outbox reads the shop's
    // subscriptions), prices, this buyer's customer row (only this phone's orders wait on it), then the PIN limit,
    // counted once that row is locked, so one phone's orders are counted one at a time.
    const lines = this.merge(dto, shop.maxUnitsPerLine);
    const paymentMethod = dto.paymentMethod ?? 'MPESA';
    // The shop's staff may leave the prompt out: the buyer already paid the till, or will.
    const prompting = paymentMethod === 'MPESA' && !('sendPrompt' in dto && dto.sendPrompt === false);
    const [, priced, { customer, created }, stkPrompt] = await allOrFirstError([
      tx.emit('shop.writing', { sellerId }),
      this.price(tx, sellerId, lines),
      this.customers.findOrCreate(tx, sellerId, dto.customerName, phone),
      prompting ? this.limits.stkPromptAllowed(tx, phone) : false,
    ] as const);
    // Plain rows, not entities: they are written by one statement below and never loaded into the unit of work.
    const now = new Date();
    const order: PlacingOrder = {
      id: newId('order'),
      sellerId,
      referenceCode: '',
      customerId: customer.id,
      customerName: dto.customerName,
      customerPhone: phone,
      deliveryMethod: dto.deliveryMethod,
      deliveryAddress: dto.deliveryMethod === 'DELIVERY' ? dto.deliveryAddress! : (dto.deliveryAddress ?? null),
      paymentMethod,
      status: 'PENDING',
      totalKes: priced.reduce((sum, l) => sum + l.unitPriceKes * l.quantity, 0),
      itemCount: priced.reduce((sum, l) => sum + l.quantity, 0),
      mpesaReceipt: null,
      paidAt: null,
      cancelReason: null,
      idempotencyKey: idempotencyKey ?? null,
      idempotencyHash: bodyHash,
      stkPrompt,
      // Unconfirmed cash on delivery, and any order the shop took itself (the buyer may pay the till tonight, past the
      // storefront's payment timeout), holds stock only this long; the expiry job releases it after.
      holdExpiresAt:
        paymentMethod === 'CASH_ON_DELIVERY' || shop.source.kind === 'staff'
          ? new Date(Date.now() + shop.codHoldHours * 3_600_000)
          : null,
      amountPaidKes: 0,
      createdAt: now,
      updatedAt: now,
    };
    const items: PlacingItem[] = priced.map((l) => ({
      id: newId('orderItem'),
      orderId: order.id,
      sellerId,
      productId: l.productId,
      variantId: l.variantId,
      productName: l.productName,
      variantName: l.variantName,
      quantity: l.quantity,
      unitPriceKes: l.unitPriceKes,
      subtotalKes: l.unitPriceKes * l.quantity,
    }));
    const { source } = shop;
    const entry: PlacingEntry = {
      id: newId('timeline'),
      orderId: order.id,
      status: 'PENDING',
      actor: source.kind === 'staff' ? source.actor : 'customer',
      note: source.kind === 'staff' ? (source.note ?? null) : null,
      at: now,
    };

    // Then the locks every order of this shop (or product, or network address) waits on, as late and in as few round
    // trips as possible: the address's turn, the stock, and the reference counter with the order, its lines and its
    // timeline, in one round trip; then the shop's daily roll-up (analytics' listener) and the outbox with the commit
    // (a `direct` transaction's). Other orders queue on them for these two round trips only.
    await this.takeStockAndInsert(tx, order, items, entry, priced, source);
    // Customers and analytics keep their own counts in this transaction; payments sends the PIN prompt after it.
    await tx.emit('order.placed', {
      sellerId,
      orderId: order.id,
      customerId: customer.id,
      customerCreated: created,
      placedAt: order.createdAt,
      totalKes: order.totalKes,
      paymentMethod: order.paymentMethod,
      stkPrompt,
      lines: items.map(toOrderLineFact),
    });
    await tx.publish(new DomainEvent('ORDER_CREATED', sellerId, toOrderEvent(order)));
    const notice = !prompting || stkPrompt ? null : NO_PROMPT[source.kind];
    return { ...toOrderResponse(order, items, [entry]), stkPrompt, notice };
  }

  /**
   * The same product (and variant) twice in one order is one line, and a line takes at most the shop's
   * maxUnitsPerLine: one buyer cannot hold a product's whole stock with one order.
   */
  private merge(dto: PlaceOrderDto | ManualOrderDto, maxUnits: number): Line[] {
    const lines = new Map<string, Line>();
    for (const item of dto.items) {
      const key = `${item.productId}/${item.variantId ?? ''}`;
      const line = lines.get(key) ?? { productId: item.productId, variantId: item.variantId ?? null, quantity: 0 };
      line.quantity += item.quantity;
      if (line.quantity > maxUnits) {
        const what = item.variantId ? `${item.productId} (${item.variantId})` : item.productId;
        const message =
          `This shop sells at most ${maxUnits} units of one item per order (maxUnitsPerLine); ` +
          `${what} asks ${line.quantity}`;
        throw AppError.validation(message, [{ field: 'items.quantity', message: `at most ${maxUnits} per item` }]);
      }
      lines.set(key, line);
    }
    return [...lines.values()];
  }

  /** Names and prices from the database, never from the request; products of this shop, active and not deleted. */
  private async price(tx: Tx, sellerId: string, lines: Line[]): Promise<PricedLine[]> {
    const forSale = await this.products.forSale(tx, sellerId, [...new Set(lines.map((l) => l.productId))]);
    return lines.map((line) => {
      const found = forSale.get(line.productId);
      if (!found) throw AppError.notFound(`Product ${line.productId} in this store`);
      const { variants: own } = found;
      const product = found;
      if (own.length && !line.variantId)
        throw AppError.validation(`${product.name} is sold by variant: choose one`, [
          { field: 'items.variantId', message: `required for ${product.id}` },
        ]);
      if (!own.length && line.variantId) throw AppError.notFound(`Variant ${line.variantId} of ${product.name}`);
      const variant = line.variantId ? own.find((v) => v.id === line.variantId) : undefined;
      if (line.variantId && !variant) throw AppError.notFound(`Variant ${line.variantId} of ${product.name}`);
      return {
        ...line,
        productName: product.name,
        variantName: variant?.name ?? null,
        unitPriceKes: variant?.priceKes ?? product.priceKes,
      };
    });
  }

  /**
   * One round trip: the client address's turn (ORDER_OPEN_PER_ADDRESS), every line's units in a fixed order (so
   * concurrent orders for the same items cannot deadlock), then the order with its reference, lines and timeline.
   * A line that cannot be taken fails the order after the round trip; the rollback undoes what followed it. The
   * shop's own staff are held to no open-order limit: they take orders for many buyers from one address.
   */
  private async takeStockAndInsert(
    tx: Tx,
    order: PlacingOrder,
    items: PlacingItem[],
    entry: PlacingEntry,
    priced: PricedLine[],
    source: OrderSource,
  ): Promise<void> {
    const { sellerId } = order;
    const sorted = [...priced].sort((a, b) =>
      `${a.productId}${a.variantId}`.localeCompare(`${b.productId}${b.variantId}`),
    );
    const takes = sorted.map((l) => ({ productId: l.productId, variantId: l.variantId, delta: -l.quantity }));
    const client = source.kind === 'storefront' ? source.client : null;
    const open =
      client === null ? this.limits.noOpenLimit() : this.limits.openOrdersQuery(sellerId, order.customerPhone, client);
    const insert = orderInsertStatement(order, items, entry, client, open);
    const turn = client === null ? [] : [this.limits.addressLock(sellerId, client)];
    const rows = await tx.batch([...turn, ...takes.map((take) => this.stock.statement(sellerId, take)), insert]);
    for (const [i, line] of sorted.entries()) {
      try {
        await this.stock.settle(tx, sellerId, takes[i], rows[turn.length + i][0] as StockRow | undefined);
      } catch (error) {
        if (error instanceof AppError && error.code === 'CONFLICT') {
          const what = line.variantName ? `${line.productName} (${line.variantName})` : line.productName;
          throw AppError.conflict(`Not enough stock for ${what}: ${line.quantity} asked`);
        }
        throw error;
      }
    }
    const [row] = rows[rows.length - 1] as InsertedRow[];
    if (!row.reference_code || !row.created_at) {
      throw Number(row.open) >= open.limit
        ? this.limits.tooManyOpen(await this.limits.nextRelease(tx, sellerId, { phone: order.customerPhone }))
        : this.limits.tooManyOpenFromAddress(await this.limits.nextRelease(tx, sellerId, { client: client ?? '' }));
    }
    const createdAt = new Date(row.created_at);
    Object.assign(order, { referenceCode: row.reference_code, createdAt, updatedAt: createdAt });
    entry.at = createdAt;
  }
}
