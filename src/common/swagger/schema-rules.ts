import type { OpenAPIObject } from '@nestjs/swagger';

type SchemaNode = {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
};
type Body = { content?: Record<string, { schema?: SchemaNode }> };

/**
 * The ValidationPipe refuses fields a body class does not declare (forbidNonWhitelisted): every object schema a request
 * body reaches says `additionalProperties: false`, so a generated client or a document-driven tester knows it.
 */
export function refuseUnknownBodyFields(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaNode>;
  const seen = new Set<SchemaNode>();
  const visit = (node: SchemaNode | undefined): void => {
    if (!node) return;
    const target = node.$ref ? schemas[node.$ref.replace('#/components/schemas/', '')] : node;
    if (!target || seen.has(target)) return;
    seen.add(target);
    // A map (`additionalProperties` a schema, or no properties at all) keeps its own rule.
    if (target.properties && target.additionalProperties === undefined) target.additionalProperties = false;
    Object.values(target.properties ?? {}).forEach(visit);
    [target.items, ...(target.allOf ?? []), ...(target.oneOf ?? []), ...(target.anyOf ?? [])].forEach(visit);
  };
  for (const item of Object.values(document.paths))
    for (const op of Object.values(item as Record<string, { requestBody?: Body }>))
      for (const media of Object.values(op?.requestBody?.content ?? {})) visit(media.schema);
}

/**
 * OpenAPI 3.0.3: `nullable` does not add null to an `enum`; a nullable enum lists null itself, or validators (and
 * generated types) refuse the null the API sends.
 */
export function nullableEnumsListNull(document: OpenAPIObject): void {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const schema = node as { nullable?: boolean; enum?: unknown[] };
    // A new array: the enum is often the very constant the app validates with.
    if (schema.nullable && Array.isArray(schema.enum) && !schema.enum.includes(null))
      schema.enum = [...schema.enum, null];
    Object.values(node).forEach(visit);
  };
  visit(document.components?.schemas);
  visit(document.paths);
}

/** Operations that need no credentials say so (`security: []`) rather than leaving a reader to guess. */
export function declarePublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths))
    for (const op of Object.values(item as Record<string, { responses?: unknown; security?: unknown[] }>))
      if (op && typeof op === 'object' && op.responses && !op.security?.length) op.security = [];
}

const classRules = new Map<string, object>();

/**
 * A rule across fields of a body class that no property decorator can state (e.g. "deliveryAddress is required unless
 * the order is picked up"), written into the class's schema as JSON Schema keywords (anyOf, oneOf, ...).
 */
export function ApiSchemaRule(rule: object): ClassDecorator {
  return (target) => {
    classRules.set(target.name, rule);
  };
}

export function applySchemaRules(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  for (const [name, rule] of classRules) if (schemas[name]) Object.assign(schemas[name], rule);
}
