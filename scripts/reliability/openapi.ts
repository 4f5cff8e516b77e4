/**
 * Just enough of an OpenAPI 3 reader for the fuzz and isolation scenarios: the operations of /docs-json, their
 * parameters and body schemas, and a valid sample of any schema (examples, enums and defaults first).
 */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

export type Auth = 'seller' | 'partner' | 'admin' | 'public';

export interface Operation {
  method: string;
  path: string;
  /** Path parameter names in order of appearance. */
  pathParams: string[];
  query: Parameter[];
  /** JSON body schema (resolved), when the operation takes JSON. */
  body?: Schema;
  contentTypes: string[];
  auth: Auth;
}

export async function fetchDocument(base: string): Promise<OpenApiDocument> {
  const res = await fetch(`${base}/docs-json`);
  if (!res.ok) throw new Error(`/docs-json answered ${res.status}`);
  return (await res.json()) as OpenApiDocument;
}

export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf?.length === 1) return resolve(doc, schema.allOf[0]);
  return schema;
}

export function operations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const security = (op.security ?? []).flatMap((s) => Object.keys(s));
      const auth: Auth = params.some((p) => p.in === 'header' && p.name === 'X-Admin-Token')
        ? 'admin'
        : security.includes('partner')
          ? 'partner'
          : security.length > 0
            ? 'seller'
            : 'public';
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        query: params.filter((p) => p.in === 'query'),
        body: json ? resolve(doc, json) : undefined,
        contentTypes: Object.keys(content),
        auth,
      });
    }
  }
  return out;
}

/** A valid value for `schema`; `known` supplies real values for fields named like ids (productId, storeSlug, ...). */
export function sample(doc: OpenApiDocument, raw: Schema, known: Record<string, unknown> = {}, name = ''): unknown {
  const schema = resolve(doc, raw);
  if (name in known) return known[name];
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        if (resolve(doc, prop).format === 'binary') continue;
        out[key] = sample(doc, prop, known, key);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(doc, schema.items ?? {}, known));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'date') return new Date().toISOString().slice(0, 10);
      if (schema.format === 'uri' || /url/i.test(name)) return 'https://example.com/hook';
      if (schema.format === 'email' || /email/i.test(name)) return 'fuzz@example.co.ke';
      if (/phone/i.test(name)) return '0712345678';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return 'x';
  }
}

/** Fills a path template with values for its parameters. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `missing-${name}`));
}
