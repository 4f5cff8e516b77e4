import { t } from './i18n';

/** The API as the page uses it: same origin, the session cookie, the error envelope turned into field messages. */

export type Role = 'OWNER' | 'MANAGER' | 'VIEWER';
export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'PAUSED';

export interface Session {
  user: { id: string; email: string; name: string | null; role: Role };
  seller: { id: string; storeName: string; storeSlug: string };
}

export interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  isActive: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  disabledBy: 'seller' | 'failures' | null;
  parkedDeliveries: number;
  droppedDeliveries: number;
  createdAt: string;
  updatedAt: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  completedAt: string | null;
  test: boolean;
}

export interface Attempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  requestHeaders: Record<string, string> | null;
}

export interface DeliveryDetail extends Delivery {
  payload: unknown;
  attemptLog: Attempt[];
}

export interface EndpointDetail extends Endpoint {
  recentDeliveries: Delivery[];
}

export interface EventType {
  event: string;
  description: string;
  dataSchema: string;
  example: unknown;
}

export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
}

export interface PartnerAccess {
  companyId: string;
  companyName: string;
  grantedAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  access: 'read' | 'full';
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  key?: string;
}

export interface C2bRegistration {
  registered: boolean;
  registeredAt: string | null;
  confirmationUrl: string | null;
  validationUrl: string | null;
  responseType: 'Completed' | 'Cancelled' | null;
}

export interface MpesaSettings {
  configured: boolean;
  shortcode: string | null;
  environment: 'sandbox' | 'production' | null;
  callbackUrl: string | null;
  initiatorConfigured: boolean;
  c2bValidation: boolean;
  c2b: C2bRegistration;
  updatedAt: string | null;
}

/** A till or paybill payment as the payments list shows it. */
export interface Payment {
  id: string;
  orderId: string | null;
  method: 'MPESA_STK' | 'MANUAL' | 'C2B';
  status: 'PENDING' | 'COMPLETED' | 'FAILED' | 'FLAGGED';
  amountKes: number | null;
  phone: string | null;
  mpesaReceipt: string | null;
  receiptVerified: boolean;
  channel: 'PAYBILL' | 'TILL' | null;
  payerName: string | null;
  accountNumber: string | null;
  resultDesc: string | null;
  flagReason: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

/** What the assign picker needs of an order. */
export interface OrderSummary {
  id: string;
  referenceCode: string;
  status: string;
  totalKes: number;
  amountDueKes: number;
  customerName: string;
  customerPhone: string;
  createdAt: string;
}

interface Envelope {
  message?: string;
  errors?: { field: string; message: string; row?: number }[];
  reauth?: boolean;
}

/** An API refusal: the envelope's message, and its per-field messages to show next to each field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string>,
    /** The change needs the password entered again (POST /api/auth/reauth). */
    readonly reauth = false,
    /** Every problem as the envelope listed it (an upload's name their row). */
    readonly problems: { field: string; message: string; row?: number }[] = [],
  ) {
    super(message);
  }

  static from(status: number, body: unknown): ApiError {
    const envelope = (typeof body === 'object' && body !== null ? body : {}) as Envelope;
    const fields: Record<string, string> = {};
    for (const e of envelope.errors ?? []) if (!fields[e.field]) fields[e.field] = e.message;
    const message = envelope.message ?? plainStatus(status);
    return new ApiError(status, message, fields, envelope.reauth === true, envelope.errors ?? []);
  }
}

function plainStatus(status: number): string {
  if (status === 0) return t('error.offline');
  if (status >= 500) return t('error.server');
  return t('error.other');
}

/** Called when any request answers 401: the session has ended. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/**
 * Asked when a change needs the password entered again (sudo mode: staff, API keys, M-Pesa): resolves true once the
 * seller has re-entered it, false if they gave up. The request is then sent again once.
 */
let onReauth: () => Promise<boolean> = () => Promise.resolve(false);
export function whenReauthNeeded(handler: () => Promise<boolean>): void {
  onReauth = handler;
}

/** A JSON body, or a ready body (a multipart form, CSV text) with its content type, if any. */
export type Body = unknown | { raw: BodyInit; type?: string };
const isRaw = (body: Body): body is { raw: BodyInit; type?: string } =>
  typeof body === 'object' && body !== null && 'raw' in body;

/** `extra`: headers of the request's own (an Idempotency-Key). */
export async function api<T>(method: string, path: string, body?: Body, extra?: Record<string, string>): Promise<T> {
  try {
    return await send<T>(method, path, body, extra);
  } catch (e) {
    if (e instanceof ApiError && e.reauth && (await onReauth())) return send<T>(method, path, body, extra);
    throw e;
  }
}

async function send<T>(method: string, path: string, body?: Body, extra: Record<string, string> = {}): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = { ...extra };
  let payload: BodyInit | undefined;
  if (isRaw(body)) {
    payload = body.raw;
    if (body.type) headers['Content-Type'] = body.type;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  try {
    res = await fetch(path, { method, credentials: 'same-origin', headers, body: payload });
  } catch {
    throw ApiError.from(0, null);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: only the status tells
  }
  if (res.status === 401 && !path.startsWith('/api/auth/login')) onSignedOut();
  if (!res.ok) throw ApiError.from(res.status, json);
  return json as T;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
