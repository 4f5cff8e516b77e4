import { api, newShop, request, type Shop } from './harness.js';

/** A real 1×1 PNG: the fixture's product photo. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A shop with one of everything a seller route can address by id: product, variant, review, customer, order, payment,
 * webhook endpoint and delivery, staff member, partner company + grant + partner hook, M-Pesa callback token, API key.
 */
export interface ShopFixture extends Shop {
  ids: {
    product: string;
    /** A photo of the product. */
    image: string;
    variant: string;
    review: string;
    customer: string;
    order: string;
    /** An order that stays PENDING, for the moves. */
    openOrder: string;
    payment: string;
    webhook: string;
    delivery: string;
    staff: string;
    company: string;
    partnerHook: string;
    callbackToken: string;
    apiKey: string;
  };
  partnerKey: string;
  /** A VIEWER member of the shop, signed in. */
  viewerCookie: string;
}

async function must<T>(what: string, call: Promise<{ status: number; body: unknown }>): Promise<T> {
  const res = await call;
  if (res.status >= 300)
    throw new Error(`fixture: ${what} answered ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body as T;
}

export async function buildShop(base: string, adminToken: string, receiverUrl: string): Promise<ShopFixture> {
  const shop = await newShop(base);
  const c = shop.cookie;
  const tag = Math.random().toString(36).slice(2, 8);
  const product = await must<{ id: string }>(
    'product',
    api(base, 'POST', '/api/products', { name: `Kikoi ${tag}`, priceKes: 1200, stock: 500, sku: `KK-${tag}` }, c),
  );
  const photo = new FormData();
  photo.append('image', new Blob([PNG_1X1], { type: 'image/png' }), 'kikoi.png');
  const withPhoto = await must<{ images: { id: string }[] }>(
    'photo',
    fetch(`${base}/api/products/${product.id}`, { method: 'PATCH', body: photo, headers: { Cookie: c } }).then(
      async (res) => ({ status: res.status, body: await res.json() }),
    ),
  );
  const variant = await must<{ id: string }>(
    'variant',
    api(base, 'POST', `/api/products/${product.id}/variants`, { name: 'Large', stock: 50, sku: `KK-${tag}-L` }, c),
  );
  const review = await must<{ id: string }>(
    'review',
    api(base, 'POST', `/api/storefront/${shop.storeSlug}/products/${product.id}/reviews`, {
      customerName: 'Achieng',
      rating: 4,
    }),
  );
  const orderBody = {
    storeSlug: shop.storeSlug,
    customerName: 'Baraka Otieno',
    customerPhone: '0722000111',
    deliveryMethod: 'PICKUP',
    paymentMethod: 'CASH_ON_DELIVERY',
    items: [{ productId: product.id, variantId: variant.id, quantity: 1 }],
  };
  const order = await must<{ id: string; customerId: string; totalKes: number }>(
    'order',
    api(base, 'POST', '/api/orders', orderBody),
  );
  const openOrder = await must<{ id: string }>('open order', api(base, 'POST', '/api/orders', orderBody));
  const payment = await must<{ id: string }>(
    'payment',
    api(
      base,
      'POST',
      `/api/orders/${order.id}/payments`,
      { mpesaReceipt: `QF${tag.toUpperCase()}X1`, amountKes: order.totalKes },
      c,
    ),
  );
  const webhook = await must<{ id: string }>(
    'webhook',
    api(base, 'POST', '/api/webhooks', { url: receiverUrl, events: ['ORDER_CREATED'] }, c),
  );
  const delivery = await must<{ id: string }>(
    'test delivery',
    api(base, 'POST', `/api/webhooks/${webhook.id}/test`, undefined, c),
  );
  const staff = await must<{ id: string }>(
    'staff',
    api(
      base,
      'POST',
      '/api/staff',
      { email: `staff-${tag}@example.co.ke`, role: 'VIEWER', password: 'staff-password' },
      c,
    ),
  );
  // A second member, whose role no fuzzed request addresses, to call every route as a VIEWER.
  const viewerEmail = `viewer-${tag}@example.co.ke`;
  await must(
    'viewer',
    api(base, 'POST', '/api/staff', { email: viewerEmail, role: 'VIEWER', password: 'viewer-password' }, c),
  );
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: viewerEmail, password: 'viewer-password' }),
  });
  if (login.status !== 200) throw new Error(`fixture: viewer login answered ${login.status}`);
  await must(
    'mpesa settings',
    api(
      base,
      'PUT',
      '/api/payments/mpesa/settings',
      {
        shortcode: '174379',
        passkey: 'passkey-0123456789',
        consumerKey: 'consumer-key-0123',
        consumerSecret: 'consumer-secret-0123',
        environment: 'sandbox',
      },
      c,
    ),
  );
  const settings = await must<{ callbackUrl: string }>(
    'mpesa settings read',
    api(base, 'GET', '/api/payments/mpesa/settings', undefined, c),
  );
  const company = await must<{ id: string; apiKey: string }>(
    'partner company',
    adminCall(base, adminToken, 'POST', '/api/admin/partners', { name: `Partner ${tag}` }),
  );
  await must('grant', api(base, 'PUT', `/api/partner-access/${company.id}`, undefined, c));
  const apiKey = await must<{ id: string }>(
    'api key',
    api(base, 'POST', '/api/api-keys', { name: `Zapier ${tag}`, access: 'read' }, c),
  );
  const hook = await must<{ id: string }>(
    'partner hook',
    partnerCall(base, company.apiKey, 'POST', '/api/v1/partner/webHooks', {
      shopId: shop.sellerId,
      webHookUrls: [receiverUrl],
    }),
  );
  return {
    ...shop,
    partnerKey: company.apiKey,
    viewerCookie: (login.headers.get('set-cookie') ?? '').split(';')[0],
    ids: {
      product: product.id,
      image: withPhoto.images[0].id,
      variant: variant.id,
      review: review.id,
      customer: order.customerId,
      order: order.id,
      openOrder: openOrder.id,
      payment: payment.id,
      webhook: webhook.id,
      delivery: delivery.id,
      staff: staff.id,
      company: company.id,
      partnerHook: hook.id,
      callbackToken: settings.callbackUrl.split('/').pop() ?? '',
      apiKey: apiKey.id,
    },
  };
}

export async function adminCall(base: string, token: string, method: string, path: string, body?: unknown) {
  return request(base, method, path, body, { 'X-Admin-Token': token });
}

export async function partnerCall(base: string, key: string, method: string, path: string, body?: unknown) {
  return request(base, method, path, body, { Authorization: `Bearer ${key}` });
}
