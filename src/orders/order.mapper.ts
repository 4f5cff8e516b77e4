import type { OrderEventData } from '../events/event-catalogue.js';
import type { OrderLineFact } from '../events/internal-events.js';
import type { OrderResponse } from './dto/order.dto.js';
import type { OrderItem } from './entities/order-item.entity.js';
import type { OrderTimelineEntry } from './entities/order-timeline.entity.js';
import type { Order } from './entities/order.entity.js';
import { amountDue } from './order-state.js';

/** An order's columns as the mappers read them: an entity, or a plain row (order placement builds no entities). */
export type OrderFields = Pick<
  Order,
  | 'id'
  | 'sellerId'
  | 'referenceCode'
  | 'status'
  | 'totalKes'
  | 'customerName'
  | 'customerPhone'
  | 'deliveryMethod'
  | 'mpesaReceipt'
  | 'paidAt'
  | 'amountPaidKes'
  | 'customerId'
  | 'deliveryAddress'
  | 'paymentMethod'
  | 'itemCount'
  | 'cancelReason'
  | 'createdAt'
  | 'updatedAt'
>;
export type OrderItemFields = Pick<
  OrderItem,
  'productId' | 'variantId' | 'productName' | 'variantName' | 'quantity' | 'unitPriceKes' | 'subtotalKes'
>;
export type TimelineFields = Pick<OrderTimelineEntry, 'status' | 'at' | 'actor' | 'note'>;

export function toOrderResponse(o: OrderFields, items: OrderItemFields[], timeline: TimelineFields[]): OrderResponse {
  return {
    id: o.id,
    referenceCode: o.referenceCode,
    status: o.status,
    totalKes: o.totalKes,
    customerName: o.customerName,
    customerPhone: o.customerPhone,
    deliveryMethod: o.deliveryMethod,
    mpesaReceipt: o.mpesaReceipt ?? null,
    paidAt: o.paidAt ?? null,
    amountPaidKes: o.amountPaidKes,
    amountDueKes: amountDue(o),
    items: items.map((i) => ({
      productId: i.productId,
      variantId: i.variantId ?? null,
      productName: i.productName,
      variantName: i.variantName ?? null,
      quantity: i.quantity,
      unitPriceKes: i.unitPriceKes,
      subtotalKes: i.subtotalKes,
    })),
    customerId: o.customerId,
    deliveryAddress: o.deliveryAddress ?? null,
    paymentMethod: o.paymentMethod,
    itemCount: o.itemCount,
    cancelReason: o.cancelReason ?? null,
    timeline: timeline.map((t) => ({ status: t.status, at: t.at, actor: t.actor, note: t.note ?? null })),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

/** The reference's ORDER_* payload, exactly. */
export function toOrderEvent(o: OrderFields): OrderEventData {
  return {
    orderId: o.id,
    referenceCode: o.referenceCode,
    status: o.status,
    totalKes: o.totalKes,
    customerName: o.customerName,
    customerPhone: o.customerPhone,
    itemCount: o.itemCount,
  };
}

/** An order line as the internal order events carry it (customers and analytics count sales from it). */
export function toOrderLineFact(i: OrderItemFields): OrderLineFact {
  return { productId: i.productId, productName: i.productName, quantity: i.quantity, subtotalKes: i.subtotalKes };
}
