import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * ulid's randomness, one CSPRNG byte per character (byte / 256: uniform over the 32 letters), drawn from a pooled
 * buffer. ulid's own default asks the OS for one byte per character (16 calls per id), which was 4 % of an order's
 * CPU; the bytes are the same crypto-quality bytes, fetched 4 KB at a time.
 */
const pool = Buffer.allocUnsafe(4096);
let next = pool.length;
export function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++] / 256;
}

// Monotonic: ids made in the same millisecond still sort in creation order (cursor pagination relies on it).
const ulid = monotonicFactory(pooledRandom);

/** Every id prefix in SokoHub, in one place so two resources never share one. */
export const ID_PREFIXES = {
  seller: 'sel',
  user: 'usr',
  product: 'prod',
  variant: 'var',
  review: 'rev',
  image: 'img',
  orderItem: 'oit',
  timeline: 'otl',
  order: 'ord',
  customer: 'cus',
  payment: 'pay',
  webhook: 'wh',
  event: 'evt',
  delivery: 'dlv',
  attempt: 'att',
  company: 'cmp',
  partnerHook: 'pwh',
  partnerKey: 'skp',
  callback: 'mcb',
  query: 'mqy',
  session: 'ses',
  apiKey: 'key',
  audit: 'aud',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** A prefixed, lower-case ULID: sortable by creation time, e.g. `sel_01hz3...`. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}

/** True when `value` looks like an id of that kind (cheap guard before touching the database). */
export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{26}$`).test(value);
}
