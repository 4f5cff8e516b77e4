import type TestAgent from 'supertest/lib/agent.js';
import { SELLER_EVENT_NAMES } from '../../src/events/event-catalogue.js';
import { registerSeller, type SellerSession } from './factories.js';
import { createEndpoint } from './webhook-helpers.js';

export const DARAJA_CREDS = {
  shortcode: '174379',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  consumerKey: 'consumer-key-123',
  consumerSecret: 'consumer-secret-456',
  environment: 'sandbox',
};

/**
 * The app's settings for till and paybill tests: Daraja at the fake's address, confirmations trusted from Safaricom's
 * range behind the loopback proxy, the payment clock off (a test moves time by hand).
 */
export function c2bTestEnv(darajaUrl: string): Record<string, string> {
  return {
    TRUST_PROXY: 'loopback',
    MPESA_BASE_URL: darajaUrl,
    PUBLIC_BASE_URL: 'https://api.sokohub.test',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    MPESA_JOBS_ENABLED: 'false',
    MPESA_QUERY_AFTER_S: '3600',
    MPESA_CALLBACK_ALLOWED_IPS: '196.201.214.0/24',
  };
}

/** A new shop with Daraja credentials saved and every seller event subscribed (so events land in the outbox). */
export async function mpesaShop(
  http: TestAgent,
  receiverUrl: string,
): Promise<{ shop: SellerSession; callbackPath: string }> {
  const shop = await registerSeller(http);
  await createEndpoint(http, shop, receiverUrl, [...SELLER_EVENT_NAMES]);
  const saved = await http
    .put('/api/payments/mpesa/settings')
    .set('Cookie', shop.cookie)
    .send(DARAJA_CREDS)
    .expect(200);
  return { shop, callbackPath: new URL(saved.body.callbackUrl).pathname };
}
