import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Daraja as far as the fuzz needs it: OAuth, and "accepted" for STK pushes, C2B URL registrations and Transaction
 * Status requests, so a request the API forwards to Safaricom gets Safaricom's ordinary answer rather than an outage.
 */
export async function startDarajaStub(): Promise<{ url: string; close: () => Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      n++;
      if (req.url?.startsWith('/oauth/v1/generate'))
        return json(200, { access_token: `stub-${n}`, expires_in: '3599' });
      if (req.url === '/mpesa/stkpush/v1/processrequest')
        return json(200, {
          MerchantRequestID: `mr-${n}`,
          CheckoutRequestID: `ws_CO_stub_${n}`,
          ResponseCode: '0',
          ResponseDescription: 'Success. Request accepted for processing',
        });
      if (req.url === '/mpesa/c2b/v2/registerurl')
        return json(200, { OriginatorCoversationID: `oc-${n}`, ResponseCode: '0', ResponseDescription: 'Success' });
      if (req.url === '/mpesa/transactionstatus/v1/query')
        return json(200, { ConversationID: `AG_${n}`, ResponseCode: '0', ResponseDescription: 'Accepted' });
      json(404, { errorMessage: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
