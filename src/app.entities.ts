import { AUTH_ENTITIES } from './auth/entities/index.js';
import { CUSTOMERS_ENTITIES } from './customers/entities/index.js';
import { ORDERS_ENTITIES } from './orders/entities/index.js';
import { PAYMENTS_ENTITIES } from './payments/entities/index.js';
import { PARTNER_ENTITIES } from './partner-webhooks/entities/index.js';
import { PRODUCTS_ENTITIES } from './products/entities/index.js';
import { WEBHOOKS_ENTITIES } from './webhooks/entities/index.js';

/**
 * Every module's entities, for tools that run the ORM outside the app (migrations, seeds, benchmarks). In the app each
 * module registers its own (MikroOrmModule.forFeature) and the ORM loads them from there.
 */
export const ALL_ENTITIES = [
  ...AUTH_ENTITIES,
  ...CUSTOMERS_ENTITIES,
  ...ORDERS_ENTITIES,
  ...PAYMENTS_ENTITIES,
  ...PARTNER_ENTITIES,
  ...PRODUCTS_ENTITIES,
  ...WEBHOOKS_ENTITIES,
];
