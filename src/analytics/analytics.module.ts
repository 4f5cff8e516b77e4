import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module.js';
import { ProductsModule } from '../products/products.module.js';
import { AnalyticsController } from './analytics.controller.js';
import { AnalyticsService } from './analytics.service.js';
import { OrderFactsListener } from './order-facts.listener.js';
import { CustomerSpendWindows } from './customer-spend-windows.js';

/**
 * Reports over analytics' own tables, kept from the internal order events in each order's transaction; names,
 * phones, views and stock are asked of the customers and products modules. Emits nothing.
 */
@Module({
  imports: [CustomersModule, ProductsModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsService, OrderFactsListener, CustomerSpendWindows],
})
export class AnalyticsModule {}
