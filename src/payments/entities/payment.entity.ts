import { defineEntity, p } from '@mikro-orm/core';

export const PAYMENT_METHODS = ['MPESA_STK', 'MANUAL', 'C2B'] as const;
export const C2B_CHANNELS = ['PAYBILL', 'TILL'] as const;
export const MATCHED_BY = ['reference', 'amount-and-phone', 'assigned'] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];
export const PAYMENT_STATUSES = ['PENDING', 'COMPLETED', 'FAILED', 'FLAGGED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const PaymentSchema = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    id: p.string().primary(),
    sellerId: p.string(),
    orderId: p.string().nullable(),
    method: p.enum(PAYMENT_METHODS),
    status: p.enum(PAYMENT_STATUSES),
    amountKes: p.integer().nullable(),
    expectedKes: p.integer(),
    phone: p.string().nullable(),
    mpesaReceipt: p.string().nullable(),
    // False when only a callback from outside MPESA_CALLBACK_ALLOWED_IPS named the receipt (Daraja confirmed the
    // payment, not the receipt); such a receipt does not reserve the receipt number in the shop.
    receiptVerified: p.boolean().default(true),
    // Several untrusted callbacks named different receipts: none is applied, all are listed for the seller.
    receiptCandidates: p.array().default([]),
    checkoutRequestId: p.string().nullable(),
    merchantRequestId: p.string().nullable(),
    resultCode: p.integer().nullable(),
    resultDesc: p.string().nullable(),
    flagReason: p.string().nullable(),
    rawCallback: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    completedAt: p.datetime().nullable(),
    // A flagged payment the seller dealt with: when, who (their email) and what they did. It stays FLAGGED.
    resolvedAt: p.datetime().nullable(),
    resolvedBy: p.string().nullable(),
    resolution: p.string().nullable(),
    queryAttempts: p.integer().default(0),
    nextQueryAt: p.datetime().nullable(),
    decidedBy: p.string().nullable(),
    // The trace of the request that started the payment: callbacks and status queries link to it (#28).
    traceParent: p.string().nullable(),
    // Till and paybill (C2B) payments: how the buyer paid, who they are, what they typed and how we matched it.
    channel: p.enum(C2B_CHANNELS).nullable(),
    payerName: p.string().nullable(),
    accountNumber: p.string().nullable(),
    matchedBy: p.enum(MATCHED_BY).nullable(),
    // SHA-256 of the id in the ResultURL of the Transaction Status request waiting for Daraja's answer.
    statusCheckHash: p.string().nullable().hidden(),
  },
});

export class Payment extends PaymentSchema.class {}
PaymentSchema.setClass(Payment);
export { PaymentSchema };
