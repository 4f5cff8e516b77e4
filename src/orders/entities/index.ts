import { OrderSchema } from './order.entity.js';
import { OrderItemSchema } from './order-item.entity.js';
import { OrderTimelineSchema } from './order-timeline.entity.js';

/** This module's tables, registered by its own module (MikroOrmModule.forFeature). */
export const ORDERS_ENTITIES = [OrderSchema, OrderItemSchema, OrderTimelineSchema];
