import Type, { type Static, type TSchema } from 'typebox';

/**
 * The `data` of every domain event as JSON Schema (TypeBox): the TypeScript types the code emits are derived from
 * these, GET /api/webhooks/events and the partner types route serve them, and a test validates emitted payloads.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const id = (prefix: string, description: string) => Type.String({ description: `${description} (\`${prefix}_…\`)` });
const kes = (description: string) => Type.Integer({ description: `${description}, in whole Kenyan shillings` });
const closed = { additionalProperties: false } as const;

/** ORDER_* payloads, exactly the reference's shape. */
export const OrderEventDataSchema = Type.Object(
  {
    orderId: id('ord', 'The order'),
    referenceCode: Type.String({
      description: 'The reference the buyer sees, SKH-<year>-<5 digits>, e.g. SKH-2025-00042',
    }),
    status: Type.String({
      description: 'The order status after the change: PENDING, PAID, CONFIRMED, DISPATCHED, DELIVERED or CANCELLED',
    }),
    totalKes: kes('The order total'),
    customerName: Type.String(),
    customerPhone: Type.String({ description: 'E.164, e.g. +254712345678' }),
    itemCount: Type.Integer({ minimum: 0, description: 'Units ordered, across all lines' }),
  },
  closed,
);

export const ProductEventDataSchema = Type.Object(
  {
    productId: id('prod', 'The product'),
    name: Type.String(),
    sku: nullable(Type.String()),
    priceKes: kes('The price'),
    stock: Type.Integer({ description: 'Units in stock, summed over variants when it has any' }),
    isActive: Type.Boolean({ description: 'Shown on the storefront' }),
    category: nullable(Type.String()),
  },
  closed,
);

export const LowStockEventDataSchema = Type.Object(
  {
    productId: id('prod', 'The product'),
    variantId: nullable(Type.String({ description: 'The variant that ran low, when it is one' })),
    name: Type.String(),
    sku: nullable(Type.String()),
    stock: Type.Integer(),
    lowStockThreshold: Type.Integer(),
  },
  closed,
);

export const CustomerEventDataSchema = Type.Object(
  {
    customerId: id('cus', 'The customer'),
    name: Type.String(),
    phone: Type.String({ description: 'E.164' }),
    email: nullable(Type.String()),
  },
  closed,
);

export const PaymentEventDataSchema = Type.Object(
  {
    paymentId: id('pay', 'The payment'),
    orderId: nullable(Type.String()),
    referenceCode: nullable(Type.String()),
    amountKes: kes('The amount'),
    mpesaReceipt: nullable(Type.String({ description: "M-Pesa's receipt number, once paid" })),
    phone: nullable(
      Type.String({ description: "The payer's phone; as M-Pesa gives it for till and paybill payments (masked)" }),
    ),
    status: Type.String({ description: 'PENDING, COMPLETED, FAILED or FLAGGED' }),
    method: Type.String({
      description: 'MPESA_STK (a prompt we sent), C2B (paid to the till or paybill), MANUAL (recorded by the seller)',
    }),
    channel: nullable(Type.String({ description: 'C2B only: PAYBILL or TILL' })),
    payerName: nullable(Type.String({ description: "C2B only: the payer's name as M-Pesa gives it" })),
    accountNumber: nullable(Type.String({ description: 'Paybill only: the account number the payer typed' })),
    matched: Type.Boolean({ description: 'Whether the payment is applied to an order' }),
    matchedBy: nullable(
      Type.String({ description: 'C2B only: how it found its order: reference, amount-and-phone or assigned' }),
    ),
  },
  closed,
);

export const ReviewEventDataSchema = Type.Object(
  {
    reviewId: id('rev', 'The review'),
    productId: id('prod', 'The product'),
    customerName: Type.String(),
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: nullable(Type.String()),
  },
  closed,
);

export const StaffEventDataSchema = Type.Object(
  {
    userId: id('usr', 'The member'),
    email: Type.String(),
    name: nullable(Type.String()),
    role: Type.String({ description: 'OWNER, MANAGER or VIEWER' }),
  },
  closed,
);

export type OrderEventData = Static<typeof OrderEventDataSchema>;
export type ProductEventData = Static<typeof ProductEventDataSchema>;
export type LowStockEventData = Static<typeof LowStockEventDataSchema>;
export type CustomerEventData = Static<typeof CustomerEventDataSchema>;
export type PaymentEventData = Static<typeof PaymentEventDataSchema>;
export type ReviewEventData = Static<typeof ReviewEventDataSchema>;
export type StaffEventData = Static<typeof StaffEventDataSchema>;

/** Every data schema by name: the name is what the catalogue's `dataSchema` says and the OpenAPI component's key. */
export const EVENT_DATA_SCHEMAS = {
  OrderEventData: OrderEventDataSchema,
  ProductEventData: ProductEventDataSchema,
  LowStockEventData: LowStockEventDataSchema,
  CustomerEventData: CustomerEventDataSchema,
  PaymentEventData: PaymentEventDataSchema,
  ReviewEventData: ReviewEventDataSchema,
  StaffEventData: StaffEventDataSchema,
} satisfies Record<string, TSchema>;
export type EventDataSchemaName = keyof typeof EVENT_DATA_SCHEMAS;
export type EventDataOf<K extends EventDataSchemaName> = Static<(typeof EVENT_DATA_SCHEMAS)[K]>;
