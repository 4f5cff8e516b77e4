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
