import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The app allows nothing but its own files and calls to its own origin: no inline script or style, no other host,
 * no framing (the seller's session must never be clickjacked), no plugins, forms only to itself. `blob:` images are
 * the product photo the seller just took, previewed before upload.
 */
export const SELLER_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `npm run build` puts the app (web/seller-app, built by Vite). */
export function sellerAppDir(): string {
  return process.env.SELLER_APP_DIR ?? join(process.cwd(), 'dist', 'web', 'seller-app');
}

/** The two doors into the one app: the whole dashboard, and its Settings → Integrations section the reference names. */
export const SELLER_APP_PATHS = ['/dashboard', '/integrations'] as const;

/**
 * Serves the seller app at /dashboard and /integrations (the same page; it opens the section its path names): the HTML
 * is never cached (it names the current assets), the assets have content hashes in their names and are cached for a
 * year. Mounted after helmet, so every other security header is the API's; only the CSP is the app's own, stricter one.
 */
export function mountSellerApp(app: NestExpressApplication, dir = sellerAppDir()): void {
  const page = (_req: Request, res: Response) => {
    // Read on each load (a few hundred bytes, loaded rarely): a rebuild replaces the hashed assets it names.
    let html: string;
    try {
      html = readFileSync(join(dir, 'index.html'), 'utf8');
    } catch {
      res.status(503).json({
        success: false,
        code: 'PAGE_NOT_BUILT',
        message: 'The seller app is not built on this server: run npm run build',
        statusCode: 503,
      });
      return;
    }
    res
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': SELLER_APP_CSP,
      })
      .send(html);
  };
  const server: express.Express = app.getHttpAdapter().getInstance();
  // The build writes a .br and a .gz beside each asset (web/seller-app/precompress.ts): a phone that accepts one gets
  // it (Brotli first; `Vary: Accept-Encoding`), nothing is compressed per request, and the rest get the file as it is.
  const assets = expressStaticGzip(join(dir, 'assets'), {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: { immutable: true, maxAge: '365d', index: false, redirect: false },
  });
  for (const path of SELLER_APP_PATHS) {
    server.get([path, `${path}/`], page);
    // The page names /dashboard/assets; the /integrations alias keeps pages loaded before the move working.
    server.use(`${path}/assets`, assets);
  }
}
