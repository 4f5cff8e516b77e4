/**
 * An integrator's first hour with SokoHub, written against a client generated from /docs-json (openapi-typescript
 * types, openapi-fetch calls): sign up, take an API key, add a product, subscribe a webhook, place an order on the
 * storefront, and read the delivery log. Every path, body and answer below is type-checked against the document.
 *
 *   npx openapi-typescript http://localhost:3000/docs-json --default-non-nullable=false \
 *     -o examples/typescript-client/schema.d.ts
 *   npx tsx examples/typescript-client/flow.ts http://localhost:3000 https://your-receiver.example/hooks
 */
import createClient from 'openapi-fetch';
import { pathToFileURL } from 'node:url';
import type { components, paths } from './schema.js';

type Delivery = components['schemas']['DeliveryResponse'];

export interface FlowResult {
  storeSlug: string;
  productId: string;
  webhookId: string;
  orderReference: string;
  deliveries: Delivery[];
}

/** The answer's data, or an error that carries the API's own envelope. */
function must<T>(step: string, answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined)
    throw new Error(`${step}: HTTP ${answer.response.status} ${JSON.stringify(answer.error ?? null)}`);
  return answer.data;
}

export async function runFlow(baseUrl: string, receiverUrl: string): Promise<FlowResult> {
  const api = createClient<paths>({ baseUrl });
  const email = `typed-client-${Date.now()}@example.co.ke`;

  // 1. Sign up. The session comes back as a cookie; a server integration then works with an API key.
  const signup = await api.POST('/api/auth/register', {
    body: { email, password: 'a-long-password-1', storeName: 'Typed Client Duka', phone: '0712345678' },
  });
  const session = must('register', signup);
  const cookie = signup.response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const key = must(
    'create API key',
    await api.POST('/api/api-keys', { body: { name: 'typed client', access: 'full' }, headers: { cookie } }),
  );
  const seller = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key.key}` } });

  // 2. A product and a webhook for new orders.
  const product = must(
    'create product',
    await seller.POST('/api/products', { body: { name: 'Kikoi beach wrap', priceKes: 1200, stock: 5 } }),
  );
  const hook = must(
    'create webhook',
    await seller.POST('/api/webhooks', { body: { url: receiverUrl, events: ['ORDER_CREATED'] } }),
  );

  // 3. A buyer orders on the storefront (public; the Idempotency-Key makes a retry safe).
  const order = must(
    'place order',
    await api.POST('/api/orders', {
      params: { header: { 'Idempotency-Key': `typed-client-${Date.now()}` } },
      body: {
        storeSlug: session.seller.storeSlug,
        customerName: 'Wanjiru Kamau',
        customerPhone: '0722000111',
        deliveryMethod: 'PICKUP',
        paymentMethod: 'CASH_ON_DELIVERY',
        items: [{ productId: product.id, quantity: 2 }],
      },
    }),
  );

  // 4. The delivery log shows ORDER_CREATED going out (polled: delivery is asynchronous).
  let deliveries: Delivery[] = [];
  for (let i = 0; i < 100 && !deliveries.some((d) => d.status === 'SUCCEEDED'); i++) {
    if (i) await new Promise((r) => setTimeout(r, 100));
    const page = must(
      'delivery log',
      await seller.GET('/api/webhooks/{id}/deliveries', {
        params: { path: { id: hook.id }, query: { event: 'ORDER_CREATED', limit: 10 } },
      }),
    );
    deliveries = page.data;
  }
  return {
    storeSlug: session.seller.storeSlug,
    productId: product.id,
    webhookId: hook.id,
    orderReference: order.referenceCode,
    deliveries,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [baseUrl = 'http://localhost:3000', receiver = 'https://example.com/hooks/sokohub'] = process.argv.slice(2);
  runFlow(baseUrl, receiver).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
