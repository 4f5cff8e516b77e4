import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { toDarajaMsisdn } from '../../common/phone.js';
import { AppConfig } from '../../config/app-config.js';
import {
  darajaTimestamp,
  type QueryOutcome,
  queryOutcome,
  stkPassword,
  type StkPushRequest,
  type StkPushResponse,
  type StkQueryRequest,
} from './daraja-shapes.js';
import type { C2bRegisterRequest, TransactionStatusRequest } from '../c2b/c2b-shapes.js';

export interface DarajaCredentials {
  environment: 'sandbox' | 'production';
  shortcode: string;
  passkey: string;
  consumerKey: string;
  consumerSecret: string;
}

export class DarajaError extends Error {}

/**
 * Daraja takes 12 characters of AccountReference: "SKH-2025-00042" goes as "2025-00042", which the paybill matcher
 * reads back as the same order (a payer who retypes it from the prompt pays the right one).
 */
export function accountReference(reference: string): string {
  return reference.length <= 12 ? reference : reference.replace(/^SKH-/i, '').slice(-12);
}

const BASE_URLS = { sandbox: 'https://sandbox.safaricom.co.ke', production: 'https://api.safaricom.co.ke' } as const;

/**
 * The one Daraja client: OAuth (token cached until shortly before expiry), STK push and query, C2B URL registration
 * and the Transaction Status API.
 */
@Injectable()
export class DarajaClient {
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
  ) {}

  baseUrl(environment: DarajaCredentials['environment']): string {
    return this.config.mpesa.baseUrl ?? BASE_URLS[environment];
  }

  async stkPush(
    creds: DarajaCredentials,
    input: { amountKes: number; phone: string; reference: string; callbackUrl: string; description: string },
  ): Promise<StkPushResponse> {
    const timestamp = darajaTimestamp(new Date());
    const msisdn = toDarajaMsisdn(input.phone);
    const body: StkPushRequest = {
      BusinessShortCode: creds.shortcode,
      Password: stkPassword(creds.shortcode, creds.passkey, timestamp),
      Timestamp: timestamp,
      TransactionType: 'CustomerPayBillOnline',
      Amount: Math.round(input.amountKes),
      PartyA: msisdn,
      PartyB: creds.shortcode,
      PhoneNumber: msisdn,
      CallBackURL: input.callbackUrl,
      AccountReference: accountReference(input.reference),
      TransactionDesc: input.description.slice(0, 13),
    };
    const token = await this.token(creds);
    const res = await firstValueFrom(
      this.http.post<StkPushResponse & { errorMessage?: string }>(
        `${this.baseUrl(creds.environment)}/mpesa/stkpush/v1/processrequest`,
        body,
        {
          headers: { Authorization: `Bearer ${token}` },
          timeout: this.config.mpesa.timeoutMs,
          validateStatus: () => true,
        },
      ),
    );
    if (res.status === 401) this.tokens.delete(this.tokenKey(creds));
    if (res.status !== 200 || res.data?.ResponseCode !== '0') {
      throw new DarajaError(
        `STK push refused (${res.status}): ` +
          `${res.data?.errorMessage ?? res.data?.ResponseDescription ?? 'no description'}`,
      );
    }
    return res.data;
  }

  /** Asks Daraja how an STK push ended; network trouble is "not definite", never an exception. */
  async stkQuery(creds: DarajaCredentials, checkoutRequestId: string): Promise<QueryOutcome & { raw: unknown }> {
    const timestamp = darajaTimestamp(new Date());
    const body: StkQueryRequest = {
      BusinessShortCode: creds.shortcode,
      Password: stkPassword(creds.shortcode, creds.passkey, timestamp),
      Timestamp: timestamp,
      CheckoutRequestID: checkoutRequestId,
    };
    try {
      const token = await this.token(creds);
      const res = await firstValueFrom(
        this.http.post<unknown>(`${this.baseUrl(creds.environment)}/mpesa/stkpushquery/v1/query`, body, {
          headers: { Authorization: `Bearer ${token}` },
          timeout: this.config.mpesa.timeoutMs,
          validateStatus: () => true,
        }),
      );
      if (res.status === 401) this.tokens.delete(this.tokenKey(creds));
      return { ...queryOutcome(res.status, res.data), raw: res.data };
    } catch (error) {
      return {
        definite: false,
        resultCode: null,
        resultDesc: error instanceof Error ? error.message : String(error),
        raw: null,
      };
    }
  }

  /**
   * Registers the shop's C2B confirmation and validation URLs (Daraja's register URL API v2). Throws DarajaError with
   * Daraja's own words when it refuses.
   */
  async registerC2bUrls(creds: DarajaCredentials, body: C2bRegisterRequest): Promise<string> {
    const res = await this.post<{ ResponseCode?: unknown; ResponseDescription?: string; errorMessage?: string }>(
      creds,
      '/mpesa/c2b/v2/registerurl',
      body,
    );
    const desc = res.data?.ResponseDescription ?? res.data?.errorMessage ?? 'no description';
    if (res.status !== 200 || String(res.data?.ResponseCode) !== '0')
      throw new DarajaError(`C2B URL registration refused (${res.status}): ${desc}`);
    return desc;
  }

  /**
   * Asks Daraja's Transaction Status API about a transaction; the answer arrives later on body.ResultURL. Throws
   * DarajaError when Daraja does not accept the request.
   */
  async transactionStatus(creds: DarajaCredentials, body: TransactionStatusRequest): Promise<void> {
    const res = await this.post<{ ResponseCode?: unknown; ResponseDescription?: string; errorMessage?: string }>(
      creds,
      '/mpesa/transactionstatus/v1/query',
      body,
    );
    if (res.status !== 200 || String(res.data?.ResponseCode) !== '0')
      throw new DarajaError(
        `Transaction Status request refused (${res.status}): ` +
          `${res.data?.errorMessage ?? res.data?.ResponseDescription ?? 'no description'}`,
      );
  }

  private async post<T>(creds: DarajaCredentials, path: string, body: unknown): Promise<{ status: number; data: T }> {
    const token = await this.token(creds);
    const res = await firstValueFrom(
      this.http.post<T>(`${this.baseUrl(creds.environment)}${path}`, body, {
        headers: { Authorization: `Bearer ${token}` },
        timeout: this.config.mpesa.timeoutMs,
        validateStatus: () => true,
      }),
    );
    if (res.status === 401) this.tokens.delete(this.tokenKey(creds));
    return { status: res.status, data: res.data };
  }

  /** Keyed by everything that decides the token (a changed secret must not reuse a token issued for the old one). */
  private tokenKey(creds: DarajaCredentials): string {
    return createHash('sha256')
      .update(JSON.stringify([this.baseUrl(creds.environment), creds.consumerKey, creds.consumerSecret]))
      .digest('hex');
  }

  private async token(creds: DarajaCredentials): Promise<string> {
    const key = this.tokenKey(creds);
    const cached = this.tokens.get(key);
    if (cached && cached.until > Date.now()) return cached.token;
    const res = await firstValueFrom(
      this.http.get<{ access_token?: string; expires_in?: string | number }>(
        `${this.baseUrl(creds.environment)}/oauth/v1/generate?grant_type=client_credentials`,
        {
          auth: { username: creds.consumerKey, password: creds.consumerSecret },
          timeout: this.config.mpesa.timeoutMs,
          validateStatus: () => true,
        },
      ),
    );
    if (res.status !== 200 || !res.data?.access_token) throw new DarajaError(`Daraja OAuth failed (${res.status})`);
    const ttlMs = Number(res.data.expires_in ?? 3599) * 1000;
    // Renew a minute early so a token never expires in flight.
    this.tokens.set(key, { token: res.data.access_token, until: Date.now() + Math.max(0, ttlMs - 60_000) });
    return res.data.access_token;
  }
}
