import type { PaymentEventData } from '../events/event-catalogue.js';
import type { PaymentResponse } from './dto/payment.dto.js';
import type { Payment } from './entities/payment.entity.js';

/** An amount as the seller reads it in a timeline or a flag: "KES 1,500". */
export const kes = (n: number): string => `KES ${n.toLocaleString('en-KE')}`;

export function toPaymentResponse(p: Payment): PaymentResponse {
  return {
    id: p.id,
    orderId: p.orderId ?? null,
    method: p.method,
    status: p.status,
    amountKes: p.amountKes ?? null,
    expectedKes: p.expectedKes,
    phone: p.phone ?? null,
    mpesaReceipt: p.mpesaReceipt ?? null,
    receiptVerified: p.mpesaReceipt ? p.receiptVerified : false,
    receiptCandidates: p.receiptCandidates,
    checkoutRequestId: p.checkoutRequestId ?? null,
    resultCode: p.resultCode ?? null,
    resultDesc: p.resultDesc ?? null,
    flagReason: p.flagReason ?? null,
    channel: p.channel ?? null,
    payerName: p.payerName ?? null,
    accountNumber: p.accountNumber ?? null,
    matchedBy: p.matchedBy ?? null,
    createdAt: p.createdAt,
    completedAt: p.completedAt ?? null,
    resolvedAt: p.resolvedAt ?? null,
    resolvedBy: p.resolvedBy ?? null,
    resolution: p.resolution ?? null,
  };
}

export function toPaymentEvent(p: Payment, referenceCode: string | null): PaymentEventData {
  return {
    paymentId: p.id,
    orderId: p.orderId ?? null,
    referenceCode,
    amountKes: p.amountKes ?? p.expectedKes,
    mpesaReceipt: p.mpesaReceipt ?? null,
    phone: p.phone ?? null,
    status: p.status,
    method: p.method,
    channel: p.channel ?? null,
    payerName: p.payerName ?? null,
    accountNumber: p.accountNumber ?? null,
    matched: !!p.orderId,
    matchedBy: p.matchedBy ?? null,
  };
}
