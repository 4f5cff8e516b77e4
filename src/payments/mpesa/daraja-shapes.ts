/** Daraja's wire shapes and the small pure helpers around them (all specced). */

export interface StkPushRequest {
  BusinessShortCode: string;
  Password: string;
  Timestamp: string;
  TransactionType: 'CustomerPayBillOnline';
  Amount: number;
  PartyA: string;
  PartyB: string;
  PhoneNumber: string;
  CallBackURL: string;
  AccountReference: string;
  TransactionDesc: string;
}

export interface StkPushResponse {
  MerchantRequestID: string;
  CheckoutRequestID: string;
  ResponseCode: string;
  ResponseDescription: string;
  CustomerMessage?: string;
}

export interface StkCallbackResult {
  merchantRequestId: string | null;
  checkoutRequestId: string;
  resultCode: number;
  resultDesc: string;
  amount: number | null;
  receipt: string | null;
  transactionDate: Date | null;
  phone: string | null;
}

/** yyyyMMddHHmmss in Africa/Nairobi (UTC+3, no daylight saving), as Daraja wants it. */
export function darajaTimestamp(at: Date): string {
  const nairobi = new Date(at.getTime() + 3 * 3600 * 1000);
  return nairobi.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** base64(shortcode + passkey + timestamp). */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`).toString('base64');
}

/** Daraja's TransactionDate (a number like 20191219102115, Nairobi time) as a Date. */
export function parseTransactionDate(value: unknown): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(String(value ?? ''));
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h - 3, mi, s));
}

/**
 * Reads `Body.stkCallback`. Metadata items are read by name (some, like Balance, come without a Value; failures have no
 * metadata at all). Undefined when the body is not an STK callback.
 */
export function parseStkCallback(body: unknown): StkCallbackResult | undefined {
  const cb = (body as { Body?: { stkCallback?: Record<string, unknown> } } | null)?.Body?.stkCallback;
  if (!cb || typeof cb.CheckoutRequestID !== 'string' || cb.ResultCode === undefined) return undefined;
  const resultCode = Number(cb.ResultCode);
  if (!Number.isInteger(resultCode)) return undefined;
  const items = (cb.CallbackMetadata as { Item?: { Name?: unknown; Value?: unknown }[] } | undefined)?.Item;
  const byName = new Map(
    (Array.isArray(items) ? items : [])
      .filter((i) => typeof i?.Name === 'string')
      .map((i) => [i.Name as string, i.Value]),
  );
  const amount = Number(byName.get('Amount'));
  const receipt = byName.get('MpesaReceiptNumber');
  const phone = byName.get('PhoneNumber');
  return {
    merchantRequestId: typeof cb.MerchantRequestID === 'string' ? cb.MerchantRequestID : null,
    checkoutRequestId: cb.CheckoutRequestID,
    resultCode,
    resultDesc: typeof cb.ResultDesc === 'string' ? cb.ResultDesc : '',
    amount: Number.isFinite(amount) && byName.has('Amount') ? Math.round(amount) : null,
    receipt: typeof receipt === 'string' && receipt ? receipt : null,
    transactionDate: parseTransactionDate(byName.get('TransactionDate')),
    phone: phone !== undefined && phone !== null ? `+${String(phone).replace(/^\+/, '')}` : null,
  };
}

/** What Daraja expects back from a callback URL. */
export const CALLBACK_ACK = { ResultCode: 0, ResultDesc: 'Accepted' } as const;

export interface StkQueryRequest {
  BusinessShortCode: string;
  Password: string;
  Timestamp: string;
  CheckoutRequestID: string;
}

/** What a status query told us: definite (with Daraja's ResultCode) or not yet (still processing, or an error). */
export interface QueryOutcome {
  definite: boolean;
  resultCode: number | null;
  resultDesc: string;
}

/**
 * Reads an STK query answer. A ResultCode means the transaction is decided (0 paid; 1032 cancelled, 1037 unreachable,
 * 1 insufficient funds, 2001 wrong PIN...); "being processed" errors and anything unreadable are not definite.
 */
export function queryOutcome(status: number, body: unknown): QueryOutcome {
  const b = (body ?? {}) as {
    ResultCode?: unknown;
    ResultDesc?: unknown;
    errorMessage?: unknown;
    ResponseDescription?: unknown;
  };
  const desc = String(b.ResultDesc ?? b.errorMessage ?? b.ResponseDescription ?? `HTTP ${status}`);
  if (status === 200 && b.ResultCode !== undefined && b.ResultCode !== null && Number.isInteger(Number(b.ResultCode))) {
    return { definite: true, resultCode: Number(b.ResultCode), resultDesc: desc };
  }
  return { definite: false, resultCode: null, resultDesc: desc };
}
