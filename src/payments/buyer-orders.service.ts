import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { Tx } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import type { OrderResponse } from '../orders/dto/order.dto.js';
import { OrdersService } from '../orders/orders.service.js';
import { StorefrontService } from '../products/storefront.service.js';
import type { BuyerOrderResponse, BuyerPrompt, OrderPromptResponse } from './dto/buyer-order.dto.js';
import { Payment } from './entities/payment.entity.js';
import { MpesaSettingsService } from './mpesa-settings.service.js';
import { PaymentsService } from './payments.service.js';

/** How long a PIN prompt stays on the phone (Daraja gives up after about a minute): no second one before. */
export const PROMPT_WAIT_S = 60;

/** Who asks for the prompt again: the buyer on the shop's website, or the shop (on the phone with the buyer). */
type Asker = 'buyer' | 'shop';

const WORDS: Record<Asker, { cash: string; pending: string; phone: string; none: (ref: string) => string }> = {
  buyer: {
    none: (ref) => `This shop does not send M-Pesa prompts: pay to its till or paybill with the reference ${ref}`,
    cash: 'This order is paid in cash on delivery: pay when it arrives',
    pending: 'A payment prompt was just sent to your phone: enter your M-Pesa PIN there, or ask again in a minute',
    phone: 'This phone has had too many payment prompts in the last hour: try again later',
  },
  shop: {
    none: () => 'This shop sends no M-Pesa prompts: save its Daraja credentials under M-Pesa settings first',
    cash: 'This order is paid in cash on delivery: there is no M-Pesa prompt to send',
    pending:
      "A payment prompt was just sent to the buyer's phone: they can enter their PIN now, or ask again in a minute",
    phone: "The buyer's phone has had too many payment prompts in the last hour: try again later",
  },
};

/**
 * The buyer's side of an order on the shop's website: its status page (what the storefront polls after the PIN
 * prompt) and the prompt sent again when the first was missed, cancelled or timed out. The order id, unguessable and
 * given only to whoever placed the order, is what lets them see it; what they see leaves out everything the seller
 * keeps about them. The shop sends the same prompt from its side through the same checks (OrderPromptController).
 */
@Injectable()
export class BuyerOrders {
  constructor(
    private readonly em: EntityManager,
    private readonly storefront: StorefrontService,
    private readonly orders: OrdersService,
    private readonly payments: PaymentsService,
    private readonly settings: MpesaSettingsService,
    private readonly config: AppConfig,
  ) {}

  async view(slug: string, orderId: string): Promise<BuyerOrderResponse> {
    const sellerId = await this.storefront.sellerId(slug);
    return this.render(sellerId, await this.orders.get(sellerId, orderId));
  }

  /** Sends the PIN prompt again to the phone the order was placed with (never another: no prompts to strangers). */
  async promptAgain(slug: string, orderId: string): Promise<BuyerOrderResponse> {
    const sellerId = await this.storefront.sellerId(slug);
    await this.prompt(sellerId, orderId, 'buyer');
    return this.render(sellerId, await this.orders.get(sellerId, orderId));
  }

  /** The order's last prompt and whether another may go, for the shop (any member). */
  async promptState(sellerId: string, orderId: string): Promise<OrderPromptResponse> {
    const { lastPrompt, canPromptAgain } = await this.render(sellerId, await this.orders.get(sellerId, orderId));
    return { lastPrompt, canPromptAgain };
  }

  /** The shop sends the prompt again, to the order's own phone, under the buyer's own limits. */
  async promptFromShop(sellerId: string, orderId: string): Promise<OrderPromptResponse> {
    await this.prompt(sellerId, orderId, 'shop');
    return this.promptState(sellerId, orderId);
  }

  private async prompt(sellerId: string, orderId: string, asker: Asker): Promise<void> {
    const order = await this.orders.get(sellerId, orderId);
    if (order.paymentMethod !== 'MPESA') throw AppError.conflict(WORDS[asker].cash);
    if (order.status !== 'PENDING')
      throw AppError.conflict(`This order is ${order.status}: there is nothing to pay by prompt`);
    try {
      const started = await this.payments.startStkPush(sellerId, orderId, (tx, phone) =>
        this.mayPrompt(tx, orderId, phone, asker),
      );
      // The order was checked above: no prompt started means the shop has no Daraja credentials.
      if (!started) throw AppError.conflict(WORDS[asker].none(order.referenceCode));
    } catch (error) {
      // Daraja refusing the push is recorded as a failed prompt, which the answer shows; our own refusals go out.
      if (error instanceof AppError) throw error;
    }
  }

  /** Under a lock per order: no prompt while the last one may still be on the phone, and the phone's hourly limit. */
  private async mayPrompt(tx: Tx, orderId: string, phone: string, asker: Asker): Promise<void> {
    await tx.em.execute(`select pg_advisory_xact_lock(hashtextextended('stk-prompt:' || ?, 0))`, [orderId]);
    const wait = await this.promptWaitS(tx.em, orderId);
    if (wait > 0) {
      const error = AppError.conflict(WORDS[asker].pending);
      error.retryAfterS = wait;
      throw error;
    }
    if (!(await this.underHourlyLimit(tx.em, phone))) throw AppError.rateLimited(WORDS[asker].phone, 600);
  }

  private async render(sellerId: string, order: OrderResponse): Promise<BuyerOrderResponse> {
    const em = this.em.fork();
    const last = await em.findOne(
      Payment,
      { sellerId, orderId: order.id, method: 'MPESA_STK' },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    const lastPrompt: BuyerPrompt = last
      ? {
          status: last.status,
          at: last.createdAt,
          message: last.status === 'FAILED' ? (last.resultDesc ?? null) : null,
        }
      : { status: 'NONE', at: null, message: null };
    const canPromptAgain =
      order.paymentMethod === 'MPESA' &&
      order.status === 'PENDING' &&
      (await this.promptWaitS(em, order.id)) === 0 &&
      (await this.underHourlyLimit(em, order.customerPhone)) &&
      (await this.settings.sendsPrompts(em, sellerId));
    return {
      id: order.id,
      referenceCode: order.referenceCode,
      status: order.status,
      paymentMethod: order.paymentMethod,
      deliveryMethod: order.deliveryMethod,
      totalKes: order.totalKes,
      amountPaidKes: order.amountPaidKes,
      amountDueKes: order.amountDueKes,
      mpesaReceipt: order.mpesaReceipt,
      paidAt: order.paidAt,
      items: order.items.map(({ productName, variantName, quantity, unitPriceKes, subtotalKes }) => ({
        productName,
        variantName,
        quantity,
        unitPriceKes,
        subtotalKes,
      })),
      history: order.timeline.map(({ status, at }) => ({ status, at })),
      lastPrompt,
      canPromptAgain,
      placedAt: order.createdAt,
    };
  }

  /** Seconds until another prompt may go out for this order: 0 unless the last one is pending and recent. */
  private async promptWaitS(em: EntityManager, orderId: string): Promise<number> {
    const [last] = await em.execute<{ status: string; age_s: number }[]>(
      `select status, extract(epoch from now() - created_at)::int as age_s from payments
       where order_id = ? and method = 'MPESA_STK' order by created_at desc, id desc limit 1`,
      [orderId],
    );
    return last?.status === 'PENDING' ? Math.max(0, PROMPT_WAIT_S - last.age_s) : 0;
  }

  /** Prompts this phone got within the hour, every shop's, placement's included: STK_PROMPTS_PER_PHONE_PER_HOUR. */
  private async underHourlyLimit(em: EntityManager, phone: string): Promise<boolean> {
    const limit = this.config.orders.stkPromptsPerPhonePerHour;
    const rows = await em.execute(
      `select 1 from payments where phone = ? and method = 'MPESA_STK' and created_at > now() - interval '1 hour'
       limit ?`,
      [phone, limit],
    );
    return rows.length < limit;
  }
}
