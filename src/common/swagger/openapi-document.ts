import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { eventDataComponents } from '../../events/event-docs.js';
import { applyRequestBodies } from './api-bodies.js';
import { documentCommonAnswers } from './common-answers.js';
import {
  applySchemaRules,
  declarePublicOperations,
  nullableEnumsListNull,
  refuseUnknownBodyFields,
} from './schema-rules.js';
import { documentValidationRules } from './validation-rules.js';

/** The OpenAPI document served at /docs-json: Nest's, plus the rules and answers decorators cannot state. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  documentValidationRules();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('SokoHub API')
      .setDescription(
        'Commerce backend for small shops in Kenya: catalogue, storefront, orders, M-Pesa, and signed, ' +
          'retried webhooks. Errors always come as `{success:false, code, message, statusCode}`.',
      )
      .setVersion('1.0')
      .addCookieAuth(
        'token',
        { type: 'apiKey', in: 'cookie', name: 'token', description: 'Session cookie set by POST /api/auth/login' },
        'cookie',
      )
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description:
            'The same JWT as the cookie, or a seller API key `sk_…` (POST /api/api-keys; read keys may only GET)',
        },
        'bearer',
      )
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: "A partner company's API key (Partner API)" },
        'partner',
      )
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the operator sets one (GET /metrics)' },
        'metrics',
      )
      .build(),
  );
  // Event payload schemas come from the typed catalogue (JSON Schema), not from DTO classes.
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...(eventDataComponents() as NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>),
    },
  };
  applyRequestBodies(document);
  applySchemaRules(document);
  documentCommonAnswers(document);
  refuseUnknownBodyFields(document);
  declarePublicOperations(document);
  nullableEnumsListNull(document);
  return document;
}
