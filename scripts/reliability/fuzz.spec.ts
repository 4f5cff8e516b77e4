import { casesFor, mutate } from './fuzz-cases.js';
import type { ShopFixture } from './fixture.js';
import { findLeak, isEnvelope } from './fuzz.js';
import { type OpenApiDocument, operations, sample } from './openapi.js';

const doc: OpenApiDocument = {
  paths: {
    '/api/things/{id}': {
      patch: {
        parameters: [
          { name: 'id', in: 'path', required: true },
          { name: 'page', in: 'query' },
        ],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        security: [{ cookie: [] }],
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          name: { type: 'string', example: 'Tote' },
          tags: { type: 'array', items: { type: 'string' } },
          kind: { type: 'string', enum: ['A', 'B'] },
        },
        required: ['name'],
      },
    },
  },
};

describe('fuzz checks', () => {
  it('finds stack traces, source paths, SQL and driver errors in a body', () => {
    expect(
      findLeak(
        'TypeError: x is not a function\n    at BulkImportService.import (file:///app/dist/src/products/bulk.js:63:34)',
      ),
    ).toBe('stack frame');
    expect(findLeak('{"message":"boom at /app/node_modules/pg/lib/client.js"}')).toBe('source path');
    expect(findLeak('{"message":"insert into \\"products\\" (\\"id\\") values ($1)"}')).toBe('SQL');
    expect(findLeak('{"message":"duplicate key value violates unique constraint \\"products_sku\\""}')).toBe(
      'driver error',
    );
    expect(
      findLeak('{"success":false,"code":"VALIDATION_ERROR","message":"sku must be a string","statusCode":400}'),
    ).toBeUndefined();
  });

  it('knows the error envelope', () => {
    expect(isEnvelope('{"success":false,"code":"NOT_FOUND","message":"Product not found","statusCode":404}', 404)).toBe(
      true,
    );
    expect(isEnvelope('{"success":false,"code":"NOT_FOUND","message":"Product not found","statusCode":404}', 400)).toBe(
      false,
    );
    expect(isEnvelope('<html>Cannot GET</html>', 404)).toBe(false);
    expect(isEnvelope('{"statusCode":400,"message":"Bad Request"}', 400)).toBe(false);
  });

  it('samples a valid body and mutates one leaf without touching the original', () => {
    const body = sample(doc, { $ref: '#/components/schemas/Thing' }, { kind: 'B' });
    expect(body).toEqual({ name: 'Tote', tags: ['x'], kind: 'B' });
    expect(mutate(body, ['tags', 0], null)).toEqual({ name: 'Tote', tags: [null], kind: 'B' });
    expect(body).toEqual({ name: 'Tote', tags: ['x'], kind: 'B' });
  });

  it('generates body, id, query and auth cases for an operation', () => {
    const [op] = operations(doc);
    expect(op).toMatchObject({ method: 'PATCH', pathParams: ['id'], auth: 'seller' });
    const fx = {
      cookie: 'token=t',
      storeSlug: 's',
      sellerId: 'sel_1',
      partnerKey: 'k',
      ids: { product: 'prod_1', variant: 'var_1', order: 'ord_1' },
    } as unknown as ShopFixture;
    const cases = casesFor(doc, op, fx, 'admin');
    const labels = cases.map((c) => c.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'valid',
        'name: missing',
        'tags.0: NUL',
        'raw body: deep nesting',
        '{id} raw %00',
        '?page twice',
        'auth: no auth',
      ]),
    );
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.find((c) => c.label === 'auth: no auth')?.headers.Cookie).toBeUndefined();
  });
});
