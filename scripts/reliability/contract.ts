import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from './openapi.js';

interface MediaType {
  schema?: object;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface OperationObject {
  responses?: Record<string, ResponseObject>;
  requestBody?: { content?: Record<string, MediaType> };
}

const DOC_ID = 'openapi.json';
export const API_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Holds every answer to the OpenAPI document it came from: the status code is one the operation lists, the content
 * type is one that status lists, and the body validates against its schema (Ajv, OpenAPI 3.0's `nullable` included).
 * A mismatch is what a generated client or a document-driven tester would trip over.
 */
export class ContractCheck {
  private readonly ajv = new Ajv({ strict: false, allErrors: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    addFormats.default(this.ajv);
    // Multipart file parts; never in a JSON answer.
    this.ajv.addFormat('binary', true);
    // Every instant the API writes is Date#toJSON's form (UTC, milliseconds, Z). RFC 3339 also allows a space, an
    // offset and no fraction, which is how PostgreSQL's text would have slipped through (GET /api/auth/me did).
    this.ajv.addFormat('date-time', API_INSTANT);
    this.ajv.addSchema({ $id: DOC_ID, components: doc.components }, DOC_ID);
  }

  /** Statuses the operation documents (for positive cases: a documented 404 or 409 is an acceptable answer). */
  documented(template: string, method: string): string[] {
    return Object.keys(this.operation(template, method)?.responses ?? {});
  }

  /** Whether the document calls this JSON body valid for the operation (positive cases are kept only if so). */
  requestValid(template: string, method: string, body: unknown): boolean {
    const schema = this.operation(template, method)?.requestBody?.content?.['application/json']?.schema;
    const validate = this.validator(`${method} ${template} request`, schema);
    return !validate || validate(body);
  }

  /** What is wrong with this answer, measured against the document; undefined when it matches. */
  check(template: string, method: string, status: number, contentType: string, text: string): string | undefined {
    const op = this.operation(template, method);
    if (!op) return `${method} ${template} is not in the document`;
    const responses = op.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) return `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
    const content = responses[key].content;
    if (!content || Object.keys(content).length === 0)
      return text.length ? `status ${status} documents no body, got ${contentType} ${text.slice(0, 80)}` : undefined;
    const media = contentType.split(';')[0].trim().toLowerCase();
    const documentedMedia = Object.keys(content).find((m) => mediaMatches(m, media));
    if (!documentedMedia)
      return `status ${status} answered ${media || 'no content type'}; documented: ${Object.keys(content).join(', ')}`;
    if (!/json/.test(media)) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `status ${status} answered ${media} that is not JSON: ${text.slice(0, 80)}`;
    }
    const validate = this.validator(`${method} ${template} ${key} ${documentedMedia}`, content[documentedMedia].schema);
    if (validate && !validate(body)) {
      const [e] = validate.errors ?? [];
      return `status ${status} body does not match its schema: ${e?.instancePath || '/'} ${e?.message ?? ''}`;
    }
    return undefined;
  }

  private operation(template: string, method: string): OperationObject | undefined {
    const item = this.doc.paths[template] as Record<string, OperationObject> | undefined;
    return item?.[method.toLowerCase()];
  }

  private validator(key: string, schema: object | undefined): ValidateFunction | undefined {
    if (!schema) return undefined;
    let v = this.validators.get(key);
    if (!v) {
      // Refs point into the document registered under DOC_ID.
      const rooted: unknown = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`),
      );
      v = this.ajv.compile(rooted as object);
      this.validators.set(key, v);
    }
    return v;
  }
}

/** `image/*` in the document matches `image/png` on the wire. */
function mediaMatches(documented: string, actual: string): boolean {
  if (documented === actual) return true;
  const [type, sub] = documented.split('/');
  return sub === '*' && actual.startsWith(`${type}/`);
}
