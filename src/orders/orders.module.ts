import { MikroOrmModule } from '@mikro-orm/nestjs';
import { ORDERS_ENTITIES } from './entities/index.js';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CustomersModule } from '../customers/customers.module.js';
import { ProductsModule } from '../products/products.module.js';
import { CustomerOrdersController } from './customer-orders.controller.js';
import { OrderMetrics } from './order-metrics.service.js';
import { OrderPlacementService } from './order-placement.service.js';
import { OrdersController } from './orders.controller.js';
import { PlaceOrderController } from './place-order.controller.js';
import { OrderLimits } from './order-limits.service.js';
import { OrdersService } from './orders.service.js';
import { OrderExport } from './order-export.service.js';
import { OrderLookup } from './order-lookup.service.js';

@Module({
  imports: [MikroOrmModule.forFeature(ORDERS_ENTITIES), AuthModule, ProductsModule, CustomersModule],
  controllers: [PlaceOrderController, OrdersController, CustomerOrdersController],
  providers: [OrderPlacementService, OrdersService, OrderExport, OrderLimits, OrderLookup, OrderMetrics],
  exports: [OrdersService, OrderLookup],
})
export class OrdersModule {}
