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
  errors?: { field: string; message: string }[];
}

/** An API refusal: the envelope's message, and its per-field messages to show next to each field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string>,
  ) {
    super(message);
  }

  static from(status: number, body: unknown): ApiError {
    const envelope = (typeof body === 'object' && body !== null ? body : {}) as Envelope;
    const fields: Record<string, string> = {};
    for (const e of envelope.errors ?? []) if (!fields[e.field]) fields[e.field] = e.message;
    return new ApiError(status, envelope.message ?? plainStatus(status), fields);
  }
}

function plainStatus(status: number): string {
  if (status === 0) return 'SokoHub cannot be reached. Check your connection and try again.';
  if (status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  return 'That did not work. Please try again.';
}

/** Called when any request answers 401: the session has ended. */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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
