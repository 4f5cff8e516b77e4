import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { bootApp, type TestApp } from '../support/test-app.js';

/**
 * The seller app's doors, without a browser: /dashboard and /integrations serve the same page under the strict CSP,
 * its hashed assets are cached for a year, and a server without the build says so in the error envelope.
 */
const CHUNK = `export const words = ${JSON.stringify(Array.from({ length: 300 }, (_, i) => `word ${i}`))};\n`;

describe('Seller app serving', () => {
  let t: TestApp;
  let dir: string;
  const before = process.env.SELLER_APP_DIR;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seller-app-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><script type="module" src="/dashboard/assets/index-Ab12Cd34.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'index-Ab12Cd34.js'), 'export {};');
    // As the build leaves a chunk worth compressing (web/seller-app/precompress.ts): the file, a .br and a .gz.
    writeFileSync(join(dir, 'assets', 'chunk-Ef56Gh78.js'), CHUNK);
    writeFileSync(join(dir, 'assets', 'chunk-Ef56Gh78.js.br'), brotliCompressSync(CHUNK));
    writeFileSync(join(dir, 'assets', 'chunk-Ef56Gh78.js.gz'), gzipSync(CHUNK));
    process.env.SELLER_APP_DIR = dir;
    t = await bootApp();
  });

  afterAll(async () => {
    await t?.close();
    if (before === undefined) delete process.env.SELLER_APP_DIR;
    else process.env.SELLER_APP_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/dashboard', '/dashboard/', '/integrations'])(
    '%s serves the one page, never cached, strict CSP',
    async (path) => {
      const res = await t.http.get(path).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-(inline|eval)/);
      expect(res.text).toContain('/dashboard/assets/index-Ab12Cd34.js');
    },
  );

  it('serves hashed assets for a year, under both doors, and nothing outside them', async () => {
    for (const path of ['/dashboard/assets/index-Ab12Cd34.js', '/integrations/assets/index-Ab12Cd34.js']) {
      const res = await t.http.get(path).expect(200);
      expect(res.headers['cache-control']).toContain('immutable');
      expect(res.headers['cache-control']).toContain('max-age=31536000');
    }
    await t.http.get('/dashboard/assets/../index.html').expect(404);
    await t.http.get('/dashboard/assets/missing-00000000.js').expect(404);
  });

  it('sends the precompressed copy the client accepts (Brotli first), the file itself to the rest', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const get = (acceptEncoding: string) =>
      fetch(`http://127.0.0.1:${port}/dashboard/assets/chunk-Ef56Gh78.js`, {
        headers: { 'Accept-Encoding': acceptEncoding },
      });
    for (const [accept, encoding] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip, deflate', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const res = await get(accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(res.headers.get('cache-control')).toContain('immutable');
      // fetch undoes the encoding: what arrives is the built file, byte for byte.
      expect(await res.text()).toBe(CHUNK);
    }
  });

  it('says plainly when the app is not built on this server', async () => {
    rmSync(join(dir, 'index.html'));
    const res = await t.http.get('/dashboard').expect(503);
    expect(res.body).toEqual(expect.objectContaining({ success: false, code: 'PAGE_NOT_BUILT', statusCode: 503 }));
  });
});
