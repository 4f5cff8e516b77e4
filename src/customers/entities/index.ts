import { CustomerSchema } from './customer.entity.js';

/** This module's tables, registered by its own module (MikroOrmModule.forFeature). */
export const CUSTOMERS_ENTITIES = [CustomerSchema];
