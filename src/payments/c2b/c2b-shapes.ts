/** Daraja's C2B wire shapes (register URL v2, confirmation, validation, Transaction Status) and pure helpers. */
import { createHash } from 'node:crypto';
import { parseTransactionDate } from '../mpesa/daraja-shapes.js';

export interface C2bRegisterRequest {
  ShortCode: string;
  ResponseType: 'Completed' | 'Cancelled';
  ConfirmationURL: string;
  ValidationURL: string;
}

export type C2bChannel = 'PAYBILL' | 'TILL';

/** A confirmation (or validation) request as Daraja posts it, read defensively. */
export interface C2bConfirmation {
  transId: string;
  channel: C2bChannel;
  transactionType: string;
  amountKes: number;
  transTime: Date | null;
  shortcode: string | null;
  /** BillRefNumber: the account number a paybill payer typed; null for a till. */
  accountNumber: string | null;
  /** MSISDN as Daraja sent it: masked in v2 ("2547*****126"), sometimes a SHA-256 hash, whole in v1. */
  msisdn: string | null;
  payerName: string | null;
}

/**
 * Words Safaricom refuses in registered URLs, in any case ("M-PESA, Safaricom, exe, exec, cmd, SQL, query or any of
 * their variants").
 */
export const REFUSED_URL_WORDS = ['mpesa', 'm-pesa', 'safaricom', 'exe', 'cmd', 'sql', 'query'] as const;

/** The refused word a URL contains, if any. */
export function refusedWord(url: string): string | undefined {
  const lower = url.toLowerCase();
  return REFUSED_URL_WORDS.find((w) => lower.includes(w));
}

const str = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() ? v.trim() : null;
};

/** Buy Goods (till) types Daraja uses; everything else with an account number is a paybill payment. */
const TILL_TYPES = /buy ?goods|customerbuygoods/i;

/** Reads a C2B confirmation or validation body; undefined when it is not one (no TransID or no amount). */
export function parseC2bConfirmation(body: unknown): C2bConfirmation | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const transId = str(b.TransID);
  const amount = Number(b.TransAmount);
  if (!transId || !/^[A-Za-z0-9]{6,20}$/.test(transId) || !Number.isFinite(amount) || amount <= 0) return undefined;
  const transactionType = str(b.TransactionType) ?? '';
  const accountNumber = str(b.BillRefNumber);
  const name = [b.FirstName, b.MiddleName, b.LastName]
    .map(str)
    .filter((n): n is string => !!n)
    .join(' ');
  return {
    transId: transId.toUpperCase(),
    channel: TILL_TYPES.test(transactionType) || !accountNumber ? 'TILL' : 'PAYBILL',
    transactionType,
    // Shillings: M-Pesa moves whole shillings; "10.00" is 10.
    amountKes: Math.round(amount),
    transTime: parseTransactionDate(b.TransTime),
    shortcode: str(b.BusinessShortCode),
    accountNumber: accountNumber ? accountNumber.slice(0, 40) : null,
    msisdn: str(b.MSISDN)?.slice(0, 80) ?? null,
    payerName: name ? name.slice(0, 120) : null,
  };
}

/** What a confirmation URL answers Daraja, whatever happened. */
export const CONFIRMATION_ACK = { ResultCode: 0, ResultDesc: 'Accepted' } as const;

/** Validation answers: accept, or Daraja's rejection code for an account number that names nothing. */
export const VALIDATION_ACCEPT = { ResultCode: '0', ResultDesc: 'Accepted' } as const;
export const VALIDATION_REJECT_ACCOUNT = { ResultCode: 'C2B00012', ResultDesc: 'Rejected' } as const;
export type ValidationAnswer = typeof VALIDATION_ACCEPT | typeof VALIDATION_REJECT_ACCOUNT;

/** The payer's phone as a seller may see it: masked digits stay masked; a hash is shown as such. */
export function displayMsisdn(msisdn: string | null): string | null {
  if (!msisdn) return null;
  if (/^[0-9a-f]{64}$/i.test(msisdn)) return `sha256:${msisdn.slice(0, 8)}…`;
  const digits = msisdn.replace(/[\s-]/g, '');
  return /^\d+$/.test(digits) ? `+${digits}` : digits.replace(/^\+?/, '+');
}

/**
 * Whether an order's phone (E.164, +2547…) agrees with the payer's MSISDN: every visible digit in place for a masked
 * one ("2547*****126": the prefix and the suffix), the same SHA-256 for a hashed one, equality for a whole one. A
 * masked MSISDN with fewer than 6 visible digits agrees with nothing: too many phones would.
 */
export function phoneAgrees(msisdn: string | null, orderPhone: string): boolean {
  if (!msisdn) return false;
  const phone = orderPhone.replace(/^\+/, '');
  if (/^[0-9a-f]{64}$/i.test(msisdn)) {
    const local = `0${phone.slice(3)}`;
    return [phone, local, `+${phone}`].some(
      (p) => createHash('sha256').update(p).digest('hex') === msisdn.toLowerCase(),
    );
  }
  const compact = msisdn.replace(/[\s-]/g, '').replace(/^\+/, '');
  const m = /^(\d*)([*xX•]+)(\d*)$/.exec(compact);
  if (!m) return /^\d+$/.test(compact) && normalise(compact) === phone;
  const [, head, mask, tail] = m;
  if (head.length + tail.length < 6) return false;
  // "07**…" style masks are local numbers: compare after writing them as 254…. The mask's width is not trusted
  // (Daraja's star count varies), only the visible digits.
  const full = head.startsWith('0') ? `254${head.slice(1)}` : head;
  return mask.length > 0 && phone.length >= full.length + tail.length && phone.startsWith(full) && phone.endsWith(tail);
}

function normalise(digits: string): string {
  if (digits.startsWith('0') && digits.length === 10) return `254${digits.slice(1)}`;
  if (digits.length === 9) return `254${digits}`;
  return digits;
}

/** How an account number may name an order of the shop (its reference code, forgivingly). */
export type ReferenceLookup =
  { kind: 'year-and-number'; year: number; number: number } | { kind: 'number'; number: number };

/**
 * Reads an account number as an order reference: "SKH-2025-00042", "skh 2025 00042", "2025-00042", "00042", "42"
 * (case, spaces, dashes and the prefix forgiven). Undefined when it cannot be one.
 */
export function referenceLookup(accountNumber: string | null): ReferenceLookup | undefined {
  if (!accountNumber) return undefined;
  const compact = accountNumber.toUpperCase().replace(/[\s._/#-]/g, '');
  const full = /^(?:SKH)?(\d{4})(\d{5,})$/.exec(compact);
  if (full) {
    const [, year, number] = full;
    const y = Number(year);
    // "202500042" is year 2025, number 42; a bare run of digits long enough to be a year and a number is read so.
    if (y >= 2000 && y <= 2999) return { kind: 'year-and-number', year: y, number: Number(number) };
  }
  const bare = /^(?:SKH)?(\d{1,9})$/.exec(compact);
  if (bare && Number(bare[1]) > 0) return { kind: 'number', number: Number(bare[1]) };
  return undefined;
}

/** Transaction Status: the request and the result Daraja posts to ResultURL. */
export interface TransactionStatusRequest {
  Initiator: string;
  SecurityCredential: string;
  CommandID: 'TransactionStatusQuery';
  TransactionID: string;
  PartyA: string;
  IdentifierType: '4' | '2';
  ResultURL: string;
  QueueTimeOutURL: string;
  Remarks: string;
  Occasion: string;
}

export interface StatusResult {
  resultCode: number | null;
  resultDesc: string;
  /** ReceiptNo in the result parameters (the TransID it is about), when given. */
  receipt: string | null;
  amountKes: number | null;
  /** TransactionStatus ("Completed", "Declined", ...), when given. */
  transactionStatus: string | null;
}

/** Reads `Result` from a Transaction Status result; undefined when the body is not one. */
export function parseStatusResult(body: unknown): StatusResult | undefined {
  const r = (body as { Result?: Record<string, unknown> } | null)?.Result;
  if (!r || typeof r !== 'object' || r.ResultCode === undefined) return undefined;
  const code = Number(r.ResultCode);
  const params = (r.ResultParameters as { ResultParameter?: unknown } | undefined)?.ResultParameter;
  const list = Array.isArray(params) ? params : params ? [params] : [];
  const byKey = new Map<string, unknown>(
    list
      .filter((p): p is { Key: string; Value?: unknown } => typeof (p as { Key?: unknown })?.Key === 'string')
      .map((p) => [p.Key, p.Value]),
  );
  const amount = Number(byKey.get('Amount'));
  return {
    resultCode: Number.isInteger(code) ? code : null,
    resultDesc: (str(r.ResultDesc) ?? '').slice(0, 300),
    receipt: str(byKey.get('ReceiptNo'))?.toUpperCase() ?? null,
    amountKes: byKey.has('Amount') && Number.isFinite(amount) ? Math.round(amount) : null,
    transactionStatus: str(byKey.get('TransactionStatus')),
  };
}

/** A result that says the initiator is wrong tells nothing about the payment: fix the settings and ask again. */
export function initiatorProblem(result: StatusResult): boolean {
  return result.resultCode === 2001 || /initiator|credential|security/i.test(result.resultDesc);
}
