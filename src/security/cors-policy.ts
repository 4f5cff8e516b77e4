import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import type { Request } from 'express';

const EXPOSED = ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed'];

/**
 * What a shop's own website calls from its visitors' browsers, on whatever domain the shop runs: the storefront (its
 * products and reviews), order placement, product images, and the public event list. None of them reads a cookie.
 */
export function isPublicBrowserRoute(method: string, path: string): boolean {
  if (path.startsWith('/api/storefront/') || path.startsWith('/api/media/')) return true;
  if (path === '/api/webhooks/events') return true;
  // POST /api/orders is public; its preflight is an OPTIONS of the same path. The seller's GET of the list is not.
  return path === '/api/orders' && (method === 'POST' || method === 'OPTIONS');
}

/**
 * Two CORS policies. The dashboard's origins (CORS_ORIGINS) are allowed everywhere with credentials, as the cookie
 * session needs. Any other origin is allowed only on the public browser routes, and without credentials (`*`): a
 * shop's website on its own domain can list products and place orders, but no foreign page can read a seller's
 * answers with the seller's cookie.
 */
export function corsPolicy(dashboardOrigins: readonly string[]): CorsOptionsDelegate<Request> {
  const dashboard = new Set(dashboardOrigins);
  const credentialed: CorsOptions = { origin: true, credentials: true, exposedHeaders: EXPOSED };
  const open: CorsOptions = { origin: '*', credentials: false, exposedHeaders: EXPOSED, maxAge: 600 };
  // As before this split: the preflight is answered, without an Allow-Origin for a foreign origin.
  const closed: CorsOptions = { origin: [...dashboardOrigins], credentials: true, exposedHeaders: EXPOSED };
  return (req, callback) => {
    const origin = req.headers.origin;
    if (origin !== undefined && dashboard.has(origin)) return callback(null, credentialed);
    callback(null, isPublicBrowserRoute(req.method, req.path) ? open : closed);
  };
}
