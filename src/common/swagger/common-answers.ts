import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = {
  parameters?: { in?: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
};

const envelope = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
});

/**
 * Answers every /api route can give whatever its decorators say, added to the document so generated clients know
 * them: 400 where there is a query or a body to validate (unknown fields and parameters are refused), 429 (the
 * general rate limit covers every route), 503 (the database cannot be reached, or a statement ran too long).
 */
export function documentCommonAnswers(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const op of Object.values(item as Record<string, Operation>)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const validates = !!op.requestBody || (op.parameters ?? []).some((p) => p.in === 'query');
      if (validates) op.responses['400'] ??= envelope('VALIDATION_ERROR: the request failed validation');
      op.responses['429'] ??= envelope('RATE_LIMITED: back off and retry after Retry-After seconds');
      op.responses['503'] ??= envelope(
        'UNAVAILABLE or TIMEOUT: the database cannot be reached or the request ran too long; nothing was changed, ' +
          'retry after Retry-After seconds',
      );
    }
  }
}

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

/** Operations that need no credentials say so (`security: []`) rather than leaving a reader to guess. */
export function declarePublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths))
    for (const op of Object.values(item as Record<string, { responses?: unknown; security?: unknown[] }>))
      if (op && typeof op === 'object' && op.responses && !op.security?.length) op.security = [];
}
