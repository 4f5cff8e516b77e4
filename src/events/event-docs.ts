import { createHash } from 'node:crypto';
import type { TSchema } from 'typebox';
import {
  EVENT_DATA_SCHEMA,
  type EventName,
  SELLER_EVENT_NAMES,
  SELLER_EVENTS,
  type SellerEventName,
} from './event-catalogue.js';
import { sampleEventData } from './event-examples.js';
import { EVENT_DATA_SCHEMAS } from './event-schemas.js';

export type JsonSchema = Record<string, unknown>;

/** A TypeBox schema as plain JSON Schema (draft 2020-12), without TypeBox's symbol keys. */
export function jsonSchemaOf(schema: TSchema): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...(JSON.parse(JSON.stringify(schema)) as JsonSchema),
  };
}

/** The same schema in OpenAPI 3.0's dialect for Swagger: `anyOf [T, null]` becomes `T` with `nullable: true`. */
export function openApiSchemaOf(schema: TSchema): JsonSchema {
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (!node || typeof node !== 'object') return node;
    const obj = node as JsonSchema;
    const anyOf = obj.anyOf as JsonSchema[] | undefined;
    if (anyOf?.length === 2 && anyOf.some((s) => s.type === 'null')) {
      const { anyOf: _drop, ...rest } = obj;
      return { ...(convert(anyOf.find((s) => s.type !== 'null')) as JsonSchema), ...rest, nullable: true };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, convert(v)]));
  };
  return convert(JSON.parse(JSON.stringify(schema))) as JsonSchema;
}

/** `title` -> OpenAPI schema, for the document's components (the catalogue's `dataSchema` names them). */
export function eventDataComponents(): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(EVENT_DATA_SCHEMAS).map(([name, schema]) => [name, openApiSchemaOf(schema)]),
  );
}

export interface SellerEventDoc {
  event: SellerEventName;
  description: string;
  dataSchema: string;
  schema: JsonSchema;
  example: { event: string; sellerId: string; timestamp: string; data: unknown };
}

export const EXAMPLE_EVENT_SHOP = 'sel_01jdx3k2m4n5p6q7r8s9t0v1w2';
export const EXAMPLE_EVENT_TIME = new Date('2025-11-28T09:30:00.000Z');

/** GET /api/webhooks/events: every seller event with its description, the JSON Schema of `data`, and a whole body. */
export function sellerEventCatalogue(): SellerEventDoc[] {
  return SELLER_EVENT_NAMES.map((event) => ({
    event,
    description: SELLER_EVENTS[event],
    dataSchema: EVENT_DATA_SCHEMA[event],
    schema: jsonSchemaOf(dataSchemaOf(event)),
    example: {
      event,
      sellerId: EXAMPLE_EVENT_SHOP,
      timestamp: EXAMPLE_EVENT_TIME.toISOString(),
      data: sampleEventData(event),
    },
  }));
}

/** The JSON Schema (TypeBox) of an event's `data`. */
export function dataSchemaOf(event: EventName): TSchema {
  return EVENT_DATA_SCHEMAS[EVENT_DATA_SCHEMA[event]];
}

/** GET /api/webhooks/events' body, serialised once. */
export const SELLER_EVENT_CATALOGUE_JSON = JSON.stringify(sellerEventCatalogue());
export const SELLER_EVENT_CATALOGUE_BYTES = Buffer.from(SELLER_EVENT_CATALOGUE_JSON);
/** A strong ETag for these bytes, computed once (express would hash the body again on every request). */
export const SELLER_EVENT_CATALOGUE_ETAG = `"${createHash('sha256')
  .update(SELLER_EVENT_CATALOGUE_BYTES)
  .digest('base64url')
  .slice(0, 27)}"`;
