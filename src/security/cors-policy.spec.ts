import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import type { Request } from 'express';
import { corsPolicy, isPublicBrowserRoute } from './cors-policy.js';

describe('isPublicBrowserRoute', () => {
  it.each([
    ['GET', '/api/storefront/mama-mboga/products', true],
    ['POST', '/api/storefront/mama-mboga/products/prod_1/reviews', true],
    ['GET', '/api/media/products/img_1.png', true],
    ['GET', '/api/webhooks/events', true],
    ['POST', '/api/orders', true],
    ['OPTIONS', '/api/orders', true],
    ['GET', '/api/orders', false],
    ['POST', '/api/orders/ord_1/confirm', false],
    ['GET', '/api/products', false],
    ['POST', '/api/auth/login', false],
    ['GET', '/api/webhooks', false],
    ['POST', '/api/payments/mpesa/callback/t', false],
  ])('%s %s -> %s', (method, path, expected) => {
    expect(isPublicBrowserRoute(method, path)).toBe(expected);
  });
});

describe('corsPolicy', () => {
  const decide = (origin: string | undefined, method: string, path: string) =>
    new Promise<CorsOptions>((resolve) =>
      corsPolicy(['https://dash.example'])(
        { headers: origin ? { origin } : {}, method, path } as Request,
        (_err, options) => resolve(options),
      ),
    );

  it('gives the dashboard credentials everywhere, a shop website the public routes without them', async () => {
    expect(await decide('https://dash.example', 'GET', '/api/orders')).toMatchObject({
      origin: true,
      credentials: true,
    });
    expect(await decide('https://dash.example', 'GET', '/api/storefront/x/products')).toMatchObject({
      credentials: true,
    });
    expect(await decide('https://shop.example', 'POST', '/api/orders')).toMatchObject({
      origin: '*',
      credentials: false,
    });
    expect(await decide('https://shop.example', 'GET', '/api/orders')).toMatchObject({
      origin: ['https://dash.example'],
    });
  });
});
