/** Shops, products and orders made through the public API, as a seller and a buyer would. */
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
