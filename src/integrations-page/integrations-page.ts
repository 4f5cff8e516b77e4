import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request, type Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The page allows nothing but its own files and calls to its own origin: no inline script or style, no other host,
 * no framing (the seller's session must never be clickjacked), no plugins, forms only to itself.
 */
export const INTEGRATIONS_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `npm run build` puts the page (web/integrations, built by Vite). */
export function integrationsPageDir(): string {
  return process.env.INTEGRATIONS_PAGE_DIR ?? join(process.cwd(), 'dist', 'web', 'integrations');
}

/**
 * Serves the seller's Integrations page at /integrations: the HTML is never cached (it names the current assets),
 * the assets have content hashes in their names and are cached for a year. Mounted after helmet, so every other
 * security header is the API's; only the CSP is the page's own, stricter one.
 */
export function mountIntegrationsPage(app: NestExpressApplication, dir = integrationsPageDir()): void {
  const page = (_req: Request, res: Response) => {
    // Read on each load (a few hundred bytes, loaded rarely): a rebuild replaces the hashed assets it names.
    let html: string;
    try {
      html = readFileSync(join(dir, 'index.html'), 'utf8');
    } catch {
      res.status(503).json({
        success: false,
        code: 'PAGE_NOT_BUILT',
        message: 'The Integrations page is not built on this server: run npm run build',
        statusCode: 503,
      });
      return;
    }
    res
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': INTEGRATIONS_PAGE_CSP,
      })
      .send(html);
  };
  const server: express.Express = app.getHttpAdapter().getInstance();
  server.get(['/integrations', '/integrations/'], page);
  server.use(
    '/integrations/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false }),
  );
}
