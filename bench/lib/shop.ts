/** Shops, products and orders made through the public API, as a seller and a buyer would. */
import type { LoadSpec } from './load-runner.js';
const json = { 'Content-Type': 'application/json' };

export interface Shop {
  sellerId: string;
  storeSlug: string;
  cookie: string;
}

export async function registerShop(base: string, i: number): Promise<Shop> {
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      email: `bench-${i}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.co.ke`,
      password: 'bench-password',
      storeName: `Bench Duka ${i}`,
      phone: '0712345678',
    }),
  });
  if (!res.ok) throw new Error(`register ${res.status}: ${await res.text()}`);
  const { seller } = (await res.json()) as { seller: { id: string; storeSlug: string } };
  return {
    sellerId: seller.id,
    storeSlug: seller.storeSlug,
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0],
  };
}

async function post<T>(base: string, path: string, cookie: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...json, Cookie: cookie },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function createProduct(
  base: string,
  shop: Shop,
  fields: { name: string; stock: number; description?: string; variants?: number },
): Promise<string> {
  const { id } = await post<{ id: string }>(base, '/api/products', shop.cookie, {
    name: fields.name,
    priceKes: 1500,
    stock: fields.stock,
    ...(fields.description ? { description: fields.description, category: 'Textiles' } : {}),
  });
  for (let v = 0; v < (fields.variants ?? 0); v++)
    await post(base, `/api/products/${id}/variants`, shop.cookie, {
      name: `Size ${['S', 'M', 'L', 'XL'][v % 4]}`,
      options: { size: ['S', 'M', 'L', 'XL'][v % 4], colour: 'Indigo' },
      stock: 40,
    });
  return id;
}

/** Buyer `buyer`'s client address (a network of its own). */
export function buyerAddress(buyer: number): string {
  return `10.${(buyer >> 16) & 255}.${(buyer >> 8) & 255}.${buyer & 255}`;
}

export function orderBody(storeSlug: string, productId: string, buyer: number): string {
  return JSON.stringify({
    storeSlug,
    customerName: 'Amina Wanjiku',
    customerPhone: `07${String(10_000_000 + buyer).slice(-8)}`,
    deliveryMethod: 'PICKUP',
    paymentMethod: 'CASH_ON_DELIVERY',
    items: [{ productId, quantity: 2 }],
  });
}

/** A load on one route, as the focused benches give it (the load runner adds connections and duration). */
export type RouteLoad = Omit<LoadSpec, 'connections' | 'seconds'>;
export const ROUTES = ['events', 'list', 'storefront', 'me', 'orders'] as const;

/**
 * A shop of 20 products set up for one route's load on `base`, and that load: the seller's GETs with their session
 * cookie (products with two variants each), or public orders spread over the products (plain, ample stock) by 1,000
 * buyers.
 */
export async function routeLoad(base: string, route: string): Promise<RouteLoad> {
  if (!(ROUTES as readonly string[]).includes(route)) throw new Error(`route: one of ${ROUTES.join(', ')}`);
  const shop = await registerShop(base, 0);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++)
    ids.push(
      await createProduct(base, shop, { name: `Kikoi ${i}`, stock: 10_000_000, variants: route === 'orders' ? 0 : 2 }),
    );
  if (route === 'orders')
    return {
      url: `${base}/api/orders`,
      method: 'POST',
      headers: {},
      bodies: Array.from({ length: 5000 }, (_, i) => orderBody(shop.storeSlug, ids[i % 20], i % 1000)),
      addresses: Array.from({ length: 5000 }, (_, i) => buyerAddress(i % 1000)),
    };
  const paths: Record<string, string> = {
    events: '/api/webhooks/events',
    list: '/api/products?limit=20',
    storefront: `/api/storefront/${shop.storeSlug}/products?limit=20`,
    me: '/api/auth/me',
  };
  return { url: `${base}${paths[route]}`, method: 'GET', headers: { Cookie: shop.cookie } };
}
