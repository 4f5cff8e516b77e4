import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './common/swagger/openapi-document.js';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from './config/app-config.js';
import { cacheRouteMetadata } from './common/reflector-cache.js';
import { cacheValidationMetadata } from './common/validation-metadata-cache.js';
import { AllExceptionsFilter } from './errors/all-exceptions.filter.js';
import { InputShapePipe } from './errors/input-shape.pipe.js';
import { validationExceptionFactory } from './errors/validation.js';
import { mountSellerApp } from './seller-app/seller-app.js';
import { rememberClientAddress } from './security/client-address.middleware.js';
import { refuseFormBodies } from './security/form-body.middleware.js';
import { privateAnswers } from './security/private-answers.middleware.js';
import { corsPolicy } from './security/cors-policy.js';
import { C2B_PATH } from './payments/c2b/c2b-urls.js';

export const JSON_BODY_LIMIT = '1mb';
export const MPESA_CALLBACK_PATH = '/api/payments/mpesa/callback';
export const MPESA_CALLBACK_BODY_LIMIT = '16kb';

/** Everything main.ts and the e2e harness both need: the same middleware, pipes, filter and docs. */
export function configureApp(app: NestExpressApplication): void {
  cacheRouteMetadata();
  cacheValidationMetadata();
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Which peers may name the client in X-Forwarded-For; req.ip (limits, logs, the M-Pesa allow-list) follows it.
  app.set('trust proxy', config.trustProxy);
  app.use(rememberClientAddress);
  app.use(refuseFormBodies);
  app.use('/api', privateAnswers);
  // Daraja's callbacks are under 2 KB: anything past 16 KB on that public route is refused before it is read whole.
  app.use(MPESA_CALLBACK_PATH, json({ limit: MPESA_CALLBACK_BODY_LIMIT }));
  app.use(C2B_PATH, json({ limit: MPESA_CALLBACK_BODY_LIMIT }));
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  // Bulk product import accepts a CSV body.
  app.useBodyParser('text', { type: 'text/csv', limit: '2mb' });
  app.use(
    helmet({
      // Swagger UI needs its inline script and styles; everything else keeps helmet's defaults.
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'validator.swagger.io'],
        },
      },
    }),
  );
  app.use(cookieParser());
  mountSellerApp(app);
  app.enableCors(corsPolicy(config.corsOrigins));
  app.useGlobalPipes(
    new InputShapePipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  setupSwagger(app);
}

function setupSwagger(app: INestApplication): void {
  // Swagger UI is ~2 MB of script, styles and document as served (~0.5 MB compressed); compressed per request here,
  // where it is loaded rarely, unlike the API's answers (CPU on every request) and the seller app (built compressed).
  app.use(['/docs', '/docs-json'], compression());
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
