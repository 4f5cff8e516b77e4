import { NAIROBI } from '../common/time.js';
import type { BatchStatement } from '../database/prepared-batch.js';
import type { Order } from './entities/order.entity.js';
import type { OpenOrdersQuery } from './order-limits.service.js';
import type { OrderFields, OrderItemFields, TimelineFields } from './order.mapper.js';

/** The rows an order is written as, built in memory and inserted by one statement. */
export type PlacingOrder = OrderFields &
  Pick<Order, 'idempotencyKey' | 'idempotencyHash' | 'stkPrompt' | 'holdExpiresAt'>;
export type PlacingItem = OrderItemFields & { id: string; orderId: string; sellerId: string };
export type PlacingEntry = TimelineFields & { id: string; orderId: string };

/** What the order's statement answers: its reference and time, or (nothing written) the limits it met. */
export interface InsertedRow {
  reference_code: string | null;
  created_at: Date | string | null;
  open: string;
  open_addr: string;
}

/**
 * The order row with its reference, SKH-<year>-<5+ digits>, sequential per shop and year (Nairobi time), its lines
 * and timeline, in one statement that first counts open orders (ORDER_OPEN_PER_PHONE, _PER_ADDRESS): over a limit
 * nothing is written. The counter row's lock orders concurrent orders of the shop and rolls back with the order,
 * so references have no gaps.
 */
export function orderInsertStatement(
  order: PlacingOrder,
  items: PlacingItem[],
  entry: PlacingEntry,
  client: string | null,
  open: OpenOrdersQuery,
): BatchStatement {
  // Parameters in a SELECT list have no type to take from the columns they fill: the casts say it.
  return {
    read: true,
    sql: `with lim as (${open.sql}),
     seq as (
       insert into order_sequences (seller_id, year, last_value)
       select ?::text, extract(year from now() at time zone '${NAIROBI}')::int, 1
       where (select open from lim) < ?::int and (select open_addr from lim) < ?::int
       on conflict (seller_id, year) do update set last_value = order_sequences.last_value + 1
       returning year, last_value
     ), o as (
     insert into orders (id, seller_id, reference_code, customer_id, customer_name, customer_phone, delivery_method,
       delivery_address, payment_method, status, total_kes, item_count, idempotency_key, idempotency_hash,
       stk_prompt, hold_expires_at, client_key, created_at, updated_at)
     select ?::text, ?::text,
       'SKH-' || seq.year || '-' || lpad(seq.last_value::text, greatest(5, length(seq.last_value::text)), '0'),
       ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::int, ?::int, ?::text, ?::text,
       ?::boolean, ?::timestamptz, ?::text, now(), now()
     from seq
     returning reference_code, created_at
     ), lines as (
       insert into order_items (id, order_id, seller_id, product_id, variant_id, product_name, variant_name,
         quantity, unit_price_kes, subtotal_kes)
       select * from json_to_recordset(?::json) as x(id text, order_id text, seller_id text, product_id text,
         variant_id text, product_name text, variant_name text, quantity int, unit_price_kes int, subtotal_kes int)
       where exists (select 1 from o)
     ), timeline as (
       insert into order_timeline (id, order_id, status, at, actor, note)
       select ?::text, ?::text, ?::text, now(), ?::text, ?::text where exists (select 1 from o)
     )
     select o.reference_code, o.created_at, lim.open, lim.open_addr from lim left join o on true`,
    params: [
      ...open.params,
      order.sellerId,
      open.limit,
      open.addressLimit,
      order.id,
      order.sellerId,
      order.customerId,
      order.customerName,
      order.customerPhone,
      order.deliveryMethod,
      order.deliveryAddress ?? null,
      order.paymentMethod,
      order.status,
      order.totalKes,
      order.itemCount,
      order.idempotencyKey ?? null,
      order.idempotencyHash ?? null,
      order.stkPrompt,
      order.holdExpiresAt ?? null,
      client,
      JSON.stringify(
        items.map((i) => ({
          id: i.id,
          order_id: i.orderId,
          seller_id: i.sellerId,
          product_id: i.productId,
          variant_id: i.variantId ?? null,
          product_name: i.productName,
          variant_name: i.variantName ?? null,
          quantity: i.quantity,
          unit_price_kes: i.unitPriceKes,
          subtotal_kes: i.subtotalKes,
        })),
      ),
      entry.id,
      entry.orderId,
      entry.status,
      entry.actor,
      entry.note ?? null,
    ],
  };
}
