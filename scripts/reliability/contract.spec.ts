import { ContractCheck } from './contract.js';
import type { OpenApiDocument } from './openapi.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const doc = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          200: json({ $ref: '#/components/schemas/Thing' }),
          404: json({ $ref: '#/components/schemas/Error' }),
        },
      },
      delete: { responses: { 204: { description: 'gone' } } },
      put: {
        requestBody: json({
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', maxLength: 3 } },
        }),
        responses: { 200: json({ $ref: '#/components/schemas/Thing' }) },
      },
    },
    '/pictures/{key}': { get: { responses: { 200: { content: { 'image/*': { schema: { type: 'string' } } } } } } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'kind', 'at'],
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', nullable: true, enum: ['a', 'b', null] },
          at: { type: 'string', format: 'date-time' },
        },
      },
      Error: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
    },
  },
} as unknown as OpenApiDocument;

describe('ContractCheck: answers held to the OpenAPI document', () => {
  const c = new ContractCheck(doc);
  const thing = JSON.stringify({ id: 't1', kind: null, at: '2026-12-03T10:00:00.000Z' });

  it('passes an answer the document describes', () => {
    expect(c.check('/things/{id}', 'GET', 200, 'application/json; charset=utf-8', thing)).toBeUndefined();
    expect(c.check('/things/{id}', 'DELETE', 204, '', '')).toBeUndefined();
    expect(c.check('/pictures/{key}', 'GET', 200, 'image/png', '')).toBeUndefined();
  });

  it('names what is off: status, content type, body schema, a body where none is documented', () => {
    expect(c.check('/things/{id}', 'GET', 403, 'application/json', '{}')).toMatch(/status 403 is not documented/);
    expect(c.check('/things/{id}', 'GET', 404, 'image/png', '')).toMatch(/answered image\/png/);
    expect(c.check('/things/{id}', 'GET', 200, 'application/json', '{"id":"t1","kind":"c","at":"x"}')).toMatch(
      /does not match its schema/,
    );
    expect(c.check('/things/{id}', 'GET', 200, 'application/json', '{"id":"t1","kind":"a","at":"June 1"}')).toMatch(
      /\/at must match format/,
    );
    // An instant in any form but the API's own (PostgreSQL's text, no milliseconds, an offset) is off.
    for (const at of ['2026-12-03 10:00:00.000+00', '2026-12-03T10:00:00Z', '2026-12-03T13:00:00.000+03:00']) {
      const body = JSON.stringify({ id: 't1', kind: 'a', at });
      expect(c.check('/things/{id}', 'GET', 200, 'application/json', body)).toMatch(/\/at must match format/);
    }
    expect(c.check('/things/{id}', 'DELETE', 204, 'application/json', '{}')).toMatch(/documents no body/);
    expect(c.check('/nowhere', 'GET', 200, '', '')).toMatch(/not in the document/);
  });

  it('tells valid request bodies from invalid ones', () => {
    expect(c.requestValid('/things/{id}', 'PUT', { name: 'abc' })).toBe(true);
    expect(c.requestValid('/things/{id}', 'PUT', { name: 'abcd' })).toBe(false);
    expect(c.requestValid('/things/{id}', 'PUT', {})).toBe(false);
    expect(c.documented('/things/{id}', 'GET')).toEqual(['200', '404']);
  });
});
