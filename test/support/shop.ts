import type TestAgent from 'supertest/lib/agent.js';
import type { SellerSession } from './factories.js';

export async function createProduct(
  http: TestAgent,
  s: SellerSession,
  body: Record<string, unknown> = {},
): Promise<{ id: string; priceKes: number }> {
  const res = await http
    .post('/api/products')
    .set('Cookie', s.cookie)
    .send({ name: 'African Print Tote Bag', priceKes: 1500, stock: 20, ...body })
    .expect(201);
  return res.body;
}

export function orderBody(
  s: SellerSession,
  items: { productId: string; variantId?: string; quantity: number }[],
  extra: Record<string, unknown> = {},
) {
  return {
    storeSlug: s.storeSlug,
    customerName: 'Amina Wanjiku',
    customerPhone: '0712 345 678',
    deliveryMethod: 'DELIVERY',
    deliveryAddress: 'Moi Avenue, Nairobi',
    paymentMethod: 'MPESA',
    items,
    ...extra,
  };
}

/** A real 1×1 PNG: what a product photo upload needs to pass the byte check. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
