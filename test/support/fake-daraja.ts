import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StkRequestRecord {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/**
 * A local stand-in for Safaricom Daraja speaking its shapes: OAuth, STK push and query, C2B URL registration (v2),
 * the Transaction Status API, and the bodies it would post (STK callbacks, C2B confirmations, status results).
 */
export class FakeDaraja {
  oauthCalls = 0;
  stkRequests: StkRequestRecord[] = [];
  /** Set to make the next STK pushes fail the way Daraja does. */
  refuseStk = false;
  /** What a status query answers per CheckoutRequestID; absent: "still being processed". */
  queryAnswers = new Map<string, { ResultCode: string; ResultDesc: string }>();
  queryDelayMs = 0;
  /** CheckoutRequestIDs the next pushes answer with (a test can post their callback before the push is answered). */
  nextCheckoutIds: string[] = [];
  /** How long the push waits before answering (a callback can then beat the answer). */
  pushDelayMs = 0;
  queries: string[] = [];
  private queriesInFlight = new Map<string, number>();
  /** C2B register URL (v2) requests, and the answer the next ones get (a refusal carries Daraja's error shape). */
  registrations: Record<string, unknown>[] = [];
  refuseRegistration?: string;
  /** Transaction Status requests; their results are posted by the test to each request's ResultURL. */
  statusRequests: Record<string, unknown>[] = [];
  /** The most queries for one CheckoutRequestID that were ever in flight at once. */
  maxConcurrentQueries = 0;
  private server = createServer((req, res) => void this.handle(req, res));
  private seq = 0;
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** The body Daraja posts to the CallBackURL for a finished STK push. */
  callback(
    checkoutRequestId: string,
    outcome: { resultCode?: number; amount?: number; receipt?: string; phone?: number } = {},
  ) {
    const resultCode = outcome.resultCode ?? 0;
    const stkCallback: Record<string, unknown> = {
      MerchantRequestID: `mr-${checkoutRequestId}`,
      CheckoutRequestID: checkoutRequestId,
      ResultCode: resultCode,
      ResultDesc: resultCode === 0 ? 'The service request is processed successfully.' : 'Request cancelled by user',
    };
    if (resultCode === 0) {
      stkCallback.CallbackMetadata = {
        Item: [
          { Name: 'Amount', Value: outcome.amount ?? 1 },
          { Name: 'MpesaReceiptNumber', Value: outcome.receipt ?? `QK${String(++this.seq).padStart(8, '0')}` },
          { Name: 'Balance' },
          { Name: 'TransactionDate', Value: 20250601153000 },
          { Name: 'PhoneNumber', Value: outcome.phone ?? 254712345678 },
        ],
      };
    }
    return { Body: { stkCallback } };
  }

  /** A C2B confirmation (or validation) body as Daraja v2 posts it: the payer's phone masked. */
  c2bConfirmation(input: {
    transId: string;
    amount: number;
    billRef?: string;
    till?: boolean;
    msisdn?: string;
    shortcode?: string;
    firstName?: string;
  }) {
    return {
      TransactionType: input.till ? 'Buy Goods' : 'Pay Bill',
      TransID: input.transId,
      TransTime: '20250601153000',
      TransAmount: input.amount.toFixed(2),
      BusinessShortCode: input.shortcode ?? '174379',
      BillRefNumber: input.till ? '' : (input.billRef ?? ''),
      InvoiceNumber: '',
      OrgAccountBalance: '',
      ThirdPartyTransID: '',
      MSISDN: input.msisdn ?? '2547*****678',
      FirstName: input.firstName ?? 'Amina',
      MiddleName: '',
      LastName: 'Wanjiku',
    };
  }

  /** The result Daraja posts to a Transaction Status request's ResultURL. */
  statusResult(input: { transId: string; amount?: number; resultCode?: number; status?: string; desc?: string }) {
    const resultCode = input.resultCode ?? 0;
    return {
      Result: {
        ResultType: 0,
        ResultCode: resultCode,
        ResultDesc: input.desc ?? (resultCode === 0 ? 'The service request is processed successfully.' : 'failed'),
        OriginatorConversationID: `oc-${input.transId}`,
        ConversationID: `AG_20250601_${input.transId}`,
        TransactionID: `TS${input.transId.slice(2)}`,
        ...(resultCode === 0
          ? {
              ResultParameters: {
                ResultParameter: [
                  { Key: 'DebitPartyName', Value: '254712345678 - Amina Wanjiku' },
                  { Key: 'CreditPartyName', Value: '174379 - Duka la Amina' },
                  { Key: 'OriginatorConversationID', Value: `oc-${input.transId}` },
                  { Key: 'InitiatedTime', Value: 20250601153000 },
                  { Key: 'DebitAccountType', Value: 'MMF Account For Customer' },
                  { Key: 'DebitPartyCharges' },
                  { Key: 'TransactionReason' },
                  { Key: 'ReasonType', Value: 'Pay Bill Online' },
                  { Key: 'TransactionStatus', Value: input.status ?? 'Completed' },
                  { Key: 'FinalisedTime', Value: 20250601153000 },
                  { Key: 'Amount', Value: input.amount ?? 1 },
                  { Key: 'ConversationID', Value: `AG_20250601_${input.transId}` },
                  { Key: 'ReceiptNo', Value: input.transId },
                ],
              },
            }
          : {}),
        ReferenceData: { ReferenceItem: { Key: 'Occasion' } },
      },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const json = (status: number, body: unknown): void =>
      void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url?.startsWith('/oauth/v1/generate?grant_type=client_credentials')) {
      if (!req.headers.authorization?.startsWith('Basic '))
        return json(400, { errorMessage: 'Invalid Authentication passed' });
      this.oauthCalls++;
      return json(200, { access_token: `token-${this.oauthCalls}`, expires_in: '3599' });
    }
    if (req.method === 'POST' && req.url === '/mpesa/stkpush/v1/processrequest') {
      if (!req.headers.authorization?.startsWith('Bearer token-'))
        return json(401, { errorMessage: 'Invalid Access Token' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      this.stkRequests.push({ headers: req.headers, body });
      if (this.refuseStk)
        return json(500, {
          requestId: 'x',
          errorCode: '500.001.1001',
          errorMessage: 'Unable to lock subscriber, a transaction is already in process for the current subscriber',
        });
      const n = ++this.seq;
      const checkoutId = this.nextCheckoutIds.shift() ?? `ws_CO_${Date.now()}${n}`;
      if (this.pushDelayMs) await new Promise((r) => setTimeout(r, this.pushDelayMs));
      return json(200, {
        MerchantRequestID: `mr-${n}`,
        CheckoutRequestID: checkoutId,
        ResponseCode: '0',
        ResponseDescription: 'Success. Request accepted for processing',
        CustomerMessage: 'Success. Request accepted for processing',
      });
    }
    if (req.method === 'POST' && req.url === '/mpesa/stkpushquery/v1/query') {
      if (!req.headers.authorization?.startsWith('Bearer token-'))
        return json(401, { errorMessage: 'Invalid Access Token' });
      const { CheckoutRequestID: id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        CheckoutRequestID: string;
      };
      this.queries.push(id);
      const inFlight = (this.queriesInFlight.get(id) ?? 0) + 1;
      this.queriesInFlight.set(id, inFlight);
      this.maxConcurrentQueries = Math.max(this.maxConcurrentQueries, inFlight);
      if (this.queryDelayMs) await new Promise((r) => setTimeout(r, this.queryDelayMs));
      this.queriesInFlight.set(id, (this.queriesInFlight.get(id) ?? 1) - 1);
      const answer = this.queryAnswers.get(id);
      if (!answer)
        return json(500, {
          requestId: 'q',
          errorCode: '500.001.1001',
          errorMessage: 'The transaction is being processed',
        });
      return json(200, {
        ResponseCode: '0',
        ResponseDescription: 'The service request has been accepted successsfully',
        MerchantRequestID: 'm',
        CheckoutRequestID: id,
        ...answer,
      });
    }
    const authorized = req.headers.authorization?.startsWith('Bearer token-');
    if (req.method === 'POST' && req.url === '/mpesa/c2b/v2/registerurl') {
      if (!authorized) return json(401, { errorMessage: 'Invalid Access Token' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      this.registrations.push(body);
      const refused = ['mpesa', 'm-pesa', 'safaricom', 'exe', 'cmd', 'sql', 'query'].find((w) =>
        `${String(body.ConfirmationURL)} ${String(body.ValidationURL)}`.toLowerCase().includes(w),
      );
      if (this.refuseRegistration || refused)
        return json(400, {
          requestId: 'r',
          errorCode: '400.003.02',
          errorMessage: this.refuseRegistration ?? 'Bad Request - Invalid ConfirmationURL',
        });
      return json(200, {
        OriginatorCoversationID: `oc-${++this.seq}`,
        ResponseCode: '0',
        ResponseDescription: 'Success',
      });
    }
    if (req.method === 'POST' && req.url === '/mpesa/transactionstatus/v1/query') {
      if (!authorized) return json(401, { errorMessage: 'Invalid Access Token' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      this.statusRequests.push(body);
      return json(200, {
        OriginatorConversationID: `oc-${++this.seq}`,
        ConversationID: `AG_${this.seq}`,
        ResponseCode: '0',
        ResponseDescription: 'Accept the service request successfully.',
      });
    }
    json(404, { errorMessage: 'not found' });
  }
}
