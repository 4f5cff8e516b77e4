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
 * them: 400 where there is a query or a body to validate (unknown fields and parameters are refused) or a path
 * parameter (one that is not valid percent-encoding), 413 where there is a body (past the body limit), 429 (the
 * general rate limit covers every route), 503 (the database cannot be reached, or a statement ran too long).
 */
export function documentCommonAnswers(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const op of Object.values(item as Record<string, Operation>)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const validates = !!op.requestBody || (op.parameters ?? []).some((p) => p.in === 'query' || p.in === 'path');
      if (validates) op.responses['400'] ??= envelope('VALIDATION_ERROR: the request failed validation');
      if (op.requestBody) op.responses['413'] ??= envelope('PAYLOAD_TOO_LARGE: the body is past its size limit');
      op.responses['429'] ??= envelope('RATE_LIMITED: back off and retry after Retry-After seconds');
      op.responses['503'] ??= envelope(
        'UNAVAILABLE or TIMEOUT: the database cannot be reached or the request ran too long; nothing was changed, ' +
          'retry after Retry-After seconds',
      );
    }
  }
}
