import type { ShopFixture } from './fixture.js';
import { fillPath, type OpenApiDocument, type Operation, sample } from './openapi.js';

/** One request of the fuzz run: what it is, and exactly what goes on the wire. */
export interface FuzzCase {
  label: string;
  method: string;
  /** Already encoded; may hold deliberately raw or malformed escapes. */
  path: string;
  headers: Record<string, string>;
  body?: string | FormData;
  /** The operation's path template in the document, when the request is meant for it (its answers are checked). */
  template?: string;
  /** The document says this request is valid: the API must accept it (2xx, or a documented 404/409). */
  accept?: boolean;
}

const HUGE = 'A'.repeat(100_000);
/** Values of the wrong type or shape, for any field. */
const WRONG: [string, unknown][] = [
  ['number', 12345],
  ['string', 'not-what-you-expect'],
  ['boolean', true],
  ['null', null],
  ['object', { nested: { deeper: 1 } }],
  ['array', [1, 'two', null]],
  ['operator object', { $gt: '' }],
  ['negative', -1],
  ['zero', 0],
  ['fraction', 1.5],
  ['huge number', 1e308],
  ['beyond int64', 2 ** 64],
  ['numeric string', '1e3'],
  ['empty string', ''],
  ['huge string', HUGE],
  ['NUL', 'a\u0000b'],
  ['lone surrogate', 'x\ud800y'],
  ['RTL override', '\u202eevil\u202c'],
  ['emoji and flags', '🇰🇪🛒💸'.repeat(50)],
  ['combining marks', 'e\u0301'.repeat(2000)],
  ['BOM + zero-width', '\ufeff\u200b\u200d'],
  ['SQL-ish', "' OR '1'='1' --"],
  ['date nonsense', '2025-02-30T25:61:00Z'],
];
const BAD_IDS = [
  'x',
  '0',
  '-1',
  'prd_00000000000000000000000000',
  "' OR '1'='1",
  'a'.repeat(3000),
  '🛒',
  'null',
  '[object Object]',
  '..%2F..%2Fetc%2Fpasswd',
];
/** Sent without encoding: a NUL escape, a malformed escape, a traversal. */
const RAW_IDS = ['%00', '%E0%A4%A', '%', '..', '%2e%2e'];
const BAD_QUERY = ['-1', '0', 'abc', '1e309', '9'.repeat(400), '', '🛒', "' OR 1=1", '%00', 'true', '2025-13-45'];
const RAW_BODIES: [string, string][] = [
  ['truncated JSON', '{"a":'],
  ['lone brace', '{'],
  ['null', 'null'],
  ['array', '[]'],
  ['string', '"just a string"'],
  ['number', '123'],
  ['empty', ''],
  ['duplicate keys', '{"a":1,"a":2}'],
  ['proto pollution', '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}}}'],
  ['deep nesting', '['.repeat(5000) + ']'.repeat(5000)],
  ['trailing garbage', '{}garbage'],
];

/** Real ids of the fixture shop for each path parameter, chosen by the route's resource. */
export function realIds(op: Operation, fx: ShopFixture): Record<string, string> {
  const resource = op.path.split('/')[2] ?? '';
  const byResource: Record<string, string> = {
    staff: fx.ids.staff,
    webhooks: fx.ids.webhook,
    products: fx.ids.product,
    customers: fx.ids.customer,
    orders: /confirm|dispatch|deliver|cancel/.test(op.path) ? fx.ids.openOrder : fx.ids.order,
    payments: fx.ids.payment,
    admin: fx.ids.company,
    // The buyer's order page (…/orders/{id}) takes an order; the rest of the storefront, a product.
    storefront: /\/orders\//.test(op.path) ? fx.ids.order : fx.ids.product,
    v1: fx.ids.partnerHook,
    'api-keys': fx.ids.apiKey,
  };
  return {
    id: byResource[resource] ?? 'unknown',
    deliveryId: fx.ids.delivery,
    vId: fx.ids.variant,
    imageId: fx.ids.image,
    rId: fx.ids.review,
    companyId: fx.ids.company,
    webHookId: fx.ids.partnerHook,
    storeSlug: fx.storeSlug,
    token: fx.ids.callbackToken,
    key: 'missing.png',
  };
}

/** Real values for id-like body fields (the sampler fills `productId`, `shopId`, ... with these). */
export function knownIds(fx: ShopFixture): Record<string, string> {
  return {
    productId: fx.ids.product,
    variantId: fx.ids.variant,
    shopId: fx.sellerId,
    storeSlug: fx.storeSlug,
    orderId: fx.ids.order,
  };
}

export function authHeaders(op: Operation, fx: ShopFixture, adminToken: string): Record<string, string> {
  if (op.auth === 'seller') return { Cookie: fx.cookie };
  if (op.auth === 'partner') return { Authorization: `Bearer ${fx.partnerKey}` };
  if (op.auth === 'admin') return { 'X-Admin-Token': adminToken };
  return {};
}

const BAD_AUTH: [string, Record<string, string>][] = [
  ['no auth', {}],
  ['garbage cookie', { Cookie: 'token=garbage.garbage.garbage' }],
  ['alg none JWT', { Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfeCJ9.' }],
  ['huge bearer', { Authorization: `Bearer ${'A'.repeat(8000)}` }],
  ['wrong admin token', { 'X-Admin-Token': 'wrong' }],
  ['partner key look-alike', { Authorization: 'Bearer skp_00000000000000000000' }],
];

/** Leaf paths of a JSON value (arrays by index), the value itself excluded. */
function leaves(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...leaves(v, [...prefix, i])]);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...leaves(v, [...prefix, k])]);
  return [];
}

/** A deep copy of `value` with the leaf at `path` replaced (or removed when `replacement` is REMOVE). */
const REMOVE = Symbol('remove');
export function mutate(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === REMOVE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

export function casesFor(doc: OpenApiDocument, op: Operation, fx: ShopFixture, adminToken: string): FuzzCase[] {
  const ids = realIds(op, fx);
  const known = knownIds(fx);
  const auth = authHeaders(op, fx, adminToken);
  const path = fillPath(op.path, ids);
  const valid = op.body ? sample(doc, op.body, known) : undefined;
  const json = (label: string, body: unknown, p = path, headers = auth): FuzzCase => ({
    label,
    method: op.method,
    path: p,
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const out: FuzzCase[] = [json('valid', valid)];
  if (op.body && valid !== undefined) {
    for (const leaf of leaves(valid)) {
      const at = leaf.join('.');
      out.push(json(`${at}: missing`, mutate(valid, leaf, REMOVE)));
      for (const [name, bad] of WRONG) out.push(json(`${at}: ${name}`, mutate(valid, leaf, bad)));
    }
    out.push(json('extra field', { ...(valid as object), unexpectedField: 'surprise' }));
    out.push(json('body is an array of the body', [valid]));
    for (const [name, raw] of RAW_BODIES)
      out.push({
        label: `raw body: ${name}`,
        method: op.method,
        path,
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: raw,
      });
    out.push({
      label: 'JSON as text/plain',
      method: op.method,
      path,
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: JSON.stringify(valid),
    });
    out.push({
      label: 'XML',
      method: op.method,
      path,
      headers: { ...auth, 'Content-Type': 'application/xml' },
      body: '<order><id>1</id></order>',
    });
    out.push({
      label: 'utf-16 charset',
      method: op.method,
      path,
      headers: { ...auth, 'Content-Type': 'application/json; charset=utf-16' },
      body: JSON.stringify(valid),
    });
    out.push({
      label: '2 MB body',
      method: op.method,
      path,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...(valid as object), pad: 'x'.repeat(2_000_000) }),
    });
  }
  if (op.contentTypes.includes('multipart/form-data')) out.push(...multipartCases(op.method, path, auth));
  if (op.contentTypes.includes('text/csv')) out.push(...csvCases(op.method, path, auth));
  for (const param of op.pathParams) {
    for (const bad of BAD_IDS)
      out.push(json(`{${param}} = ${bad.slice(0, 20)}`, valid, fillPath(op.path, { ...ids, [param]: bad })));
    for (const raw of RAW_IDS)
      out.push(
        json(
          `{${param}} raw ${raw}`,
          valid,
          op.path.replace(/\{(\w+)\}/g, (_, n: string) => (n === param ? raw : encodeURIComponent(ids[n]))),
        ),
      );
  }
  for (const q of op.query) {
    for (const bad of BAD_QUERY)
      out.push(
        json(
          `?${q.name}=${bad.slice(0, 20)}`,
          valid,
          `${path}?${q.name}=${bad === '%00' ? bad : encodeURIComponent(bad)}`,
        ),
      );
    out.push(json(`?${q.name} twice`, valid, `${path}?${q.name}=1&${q.name}=2`));
    out.push(json(`?${q.name}[] object`, valid, `${path}?${q.name}[a]=1`));
  }
  out.push(json('unknown query parameter', valid, `${path}?zzz=1&__proto__[x]=1`));
  if (op.auth !== 'public')
    for (const [name, headers] of BAD_AUTH) out.push(json(`auth: ${name}`, valid, path, headers));
  // The least role: reads answer, writes are refused with 403, nothing in between breaks.
  if (op.auth === 'seller') out.push(json('auth: VIEWER member', valid, path, { Cookie: fx.viewerCookie }));
  // A raw `..` is resolved by the URL before routing: that request is another operation's, judged by the envelope only.
  return out.map((c) => (/\{\w+\} raw (\.\.|%2e%2e)$/.test(c.label) ? c : { ...c, template: op.path }));
}

function multipartCases(method: string, path: string, auth: Record<string, string>): FuzzCase[] {
  const form = (fields: Record<string, string>, file?: { bytes: Uint8Array; type: string; name: string }): FormData => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    if (file) f.append('image', new Blob([file.bytes], { type: file.type }), file.name);
    return f;
  };
  const cases: [string, FormData | string, Record<string, string>][] = [
    [
      'multipart: text as image',
      form(
        { name: 'Tote', priceKes: '100' },
        { bytes: new TextEncoder().encode('not an image'), type: 'image/png', name: 'x.png' },
      ),
      {},
    ],
    ['multipart: wrong types', form({ name: '', priceKes: 'abc', stock: '-5', isActive: 'maybe' }), {}],
    [
      'multipart: two files',
      (() => {
        const f = form({ name: 'Tote', priceKes: '100' });
        f.append('image', new Blob(['a']), 'a.png');
        f.append('image', new Blob(['b']), 'b.png');
        return f;
      })(),
      {},
    ],
    [
      'multipart: unexpected file field',
      (() => {
        const f = form({ name: 'Tote', priceKes: '100' });
        f.append('other', new Blob(['x']), 'x.bin');
        return f;
      })(),
      {},
    ],
    [
      'multipart: broken boundary',
      '--nope\r\nContent-Disposition: form-data; name="name"\r\n\r\nx',
      { 'Content-Type': 'multipart/form-data; boundary=expected' },
    ],
    ['multipart: no boundary', 'name=x', { 'Content-Type': 'multipart/form-data' }],
  ];
  return cases.map(([label, body, headers]) => ({ label, method, path, headers: { ...auth, ...headers }, body }));
}

function csvCases(method: string, path: string, auth: Record<string, string>): FuzzCase[] {
  const csv: [string, string][] = [
    ['unterminated quote', 'name,priceKes\n"Tote,100'],
    ['no header', '\n\n'],
    ['NUL bytes', 'name,priceKes\n\u0000,\u0000'],
    ['wide row', 'name,priceKes\n' + 'x,'.repeat(20_000)],
    ['wrong types', 'name,priceKes,stock\nTote,abc,-1'],
    ['BOM and CRLF', '\ufeffname,priceKes\r\nTote,100\r\n'],
  ];
  return csv.map(([label, body]) => ({
    label: `csv: ${label}`,
    method,
    path,
    headers: { ...auth, 'Content-Type': 'text/csv' },
    body,
  }));
}

/** Seeded PRNG (mulberry32) so a failing run can be replayed with the same cases. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` cases that each break two to four fields of a body at once, chosen at random from `seed`. */
export function randomCases(
  doc: OpenApiDocument,
  ops: Operation[],
  fx: ShopFixture,
  adminToken: string,
  count: number,
  seed: number,
): FuzzCase[] {
  const next = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
  const withBody = ops.filter((o) => o.body);
  const known = knownIds(fx);
  const out: FuzzCase[] = [];
  while (out.length < count) {
    const op = pick(withBody);
    let body = sample(doc, op.body ?? {}, known);
    const labels: string[] = [];
    for (let i = 2 + Math.floor(next() * 3); i > 0; i--) {
      const paths = leaves(body);
      if (paths.length === 0) break;
      const leaf = pick(paths);
      const [name, bad] = next() < 0.15 ? ['missing', REMOVE] : pick(WRONG);
      body = mutate(body, leaf, bad);
      labels.push(`${leaf.join('.')}: ${name}`);
    }
    out.push({
      label: `random(${seed}): ${labels.join(', ')}`,
      template: op.path,
      method: op.method,
      path: fillPath(op.path, realIds(op, fx)),
      headers: { ...authHeaders(op, fx, adminToken), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
  return out;
}
