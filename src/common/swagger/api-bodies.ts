import { ApiExtension } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

const KEY = 'x-request-body';

type Media = Record<string, { schema: object }>;
type Operation = { requestBody?: unknown; [KEY]?: { description?: string; content: Media } };

/**
 * A request body with a schema of its own per media type (JSON, CSV, a multipart form with a file). @ApiBody gives
 * every media type the same schema, which no generator can use when a form and JSON differ.
 */
export function ApiBodies(body: Media | { description?: string; content: Media }): MethodDecorator {
  return ApiExtension(KEY, 'content' in body ? body : { content: body });
}

/** Puts each @ApiBodies body in place of the one Nest derived from the parameter type. */
export function applyRequestBodies(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths))
    for (const op of Object.values(item as Record<string, Operation>)) {
      const body = op?.[KEY];
      if (!body) continue;
      op.requestBody = { required: true, ...body };
      delete op[KEY];
    }
}
