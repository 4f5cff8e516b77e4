import type { ShopFixture } from './fixture.js';
import { authHeaders, type FuzzCase, knownIds, realIds } from './fuzz-cases.js';
import { fillPath, type OpenApiDocument, type Operation, resolve, sample, type Schema } from './openapi.js';

/**
 * Requests the document says are valid, which the API must therefore accept (2xx, or a documented 404/409 where the
 * state decides): the valid body with one field at a time moved to an edge the document allows (its bounds, each
 * enum value, null when nullable, left out when optional, and where the document states no bound, a value past the
 * obvious one), and each query parameter likewise. A refusal means the API enforces a rule the document does not state.
 */
export function positiveCases(doc: OpenApiDocument, op: Operation, fx: ShopFixture, adminToken: string): FuzzCase[] {
  const ids = realIds(op, fx);
  const known = knownIds(fx);
  const auth = authHeaders(op, fx, adminToken);
  const path = fillPath(op.path, ids);
  const out: FuzzCase[] = [];
  const push = (label: string, body: unknown, p = path) =>
    out.push({
      label: `valid: ${label}`,
      method: op.method,
      path: p,
      template: op.path,
      accept: true,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(unique(body)),
    });
  const full = op.body ? (sample(doc, op.body, known) as Record<string, unknown>) : undefined;
  const required = new Set(op.body?.required ?? []);
  // A body of optional fields only (an update) varies one field alone, so no other field's state rule answers for it.
  const base = full && op.body?.type === 'object' && required.size === 0 ? {} : full;
  if (base && op.body?.type === 'object') {
    for (const [name, raw] of Object.entries(op.body.properties ?? {})) {
      // Ids are the fixture's real ones; a password must be the account's own (refusing another is not a rule).
      if (name in known || /password/i.test(name)) continue;
      const schema = resolve(doc, raw);
      if (!required.has(name)) push(`${name} left out`, omit(base, name));
      for (const [label, value] of edges(doc, schema)) push(`${name} = ${label}`, { ...base, [name]: value });
    }
  }
  for (const q of op.query) {
    const schema = resolve(doc, q.schema ?? {});
    for (const [label, value] of edges(doc, schema, true))
      if (value !== null) push(`?${q.name}=${label}`, base, `${path}?${q.name}=${encodeURIComponent(String(value))}`);
  }
  return out;
}

let serial = 0;
/** Fresh values for the fields the API keeps unique (SKU, email), so a positive case is not a 409 by repetition. */
function unique(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out = { ...(body as Record<string, unknown>) };
  const n = String(++serial);
  if (typeof out.sku === 'string' && out.sku.length > n.length) out.sku = out.sku.slice(0, -n.length - 1) + '-' + n;
  if (typeof out.email === 'string') out.email = `p${n}.${out.email}`;
  return out;
}

/** Creations first: an update that switches the fixture's product off must not turn later orders into 404s. */
export function creationsFirst(cases: FuzzCase[]): FuzzCase[] {
  const late = (c: FuzzCase) => (c.method === 'POST' && !c.template?.includes('{') ? 0 : 1);
  return [...cases].sort((a, b) => late(a) - late(b));
}

function omit(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _, ...rest } = body;
  return rest;
}

/** Values at the edges of what `schema` allows, labelled. */
function edges(doc: OpenApiDocument, schema: Schema, inQuery = false): [string, unknown][] {
  const out: [string, unknown][] = [];
  if (schema.nullable && !inQuery) out.push(['null', null]);
  if (schema.enum?.length) {
    for (const v of schema.enum) out.push([JSON.stringify(v), v]);
    return out;
  }
  switch (schema.type) {
    case 'integer':
    case 'number': {
      // Where no minimum is stated, any number goes: a refusal of 0 shows an unstated rule.
      const min = schema.minimum ?? 0;
      out.push([`minimum ${min}`, min]);
      if (schema.maximum !== undefined) out.push([`maximum ${schema.maximum}`, schema.maximum]);
      if (schema.type === 'number' && schema.maximum === undefined) out.push(['a fraction', min + 0.5]);
      return out;
    }
    case 'boolean':
      return [...out, ['true', true], ['false', false]];
    case 'string': {
      if (schema.format || schema.pattern) return out;
      const min = schema.minLength ?? 0;
      if (!inQuery || min > 0) out.push([`${min} characters`, 'k'.repeat(min)]);
      if (schema.maxLength !== undefined && schema.maxLength <= 10_000)
        out.push([`${schema.maxLength} characters`, 'k'.repeat(schema.maxLength)]);
      return out;
    }
    case 'array': {
      const items = resolve(doc, schema.items ?? {});
      if (items.enum && schema.maxItems !== undefined)
        out.push([`${schema.maxItems} items`, items.enum.slice(0, schema.maxItems)]);
      if (!inQuery && (schema.minItems ?? 0) === 0) out.push(['no items', []]);
      return out;
    }
    default:
      return out;
  }
}
