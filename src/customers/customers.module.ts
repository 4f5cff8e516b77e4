import { MikroOrmModule } from '@mikro-orm/nestjs';
import { CUSTOMERS_ENTITIES } from './entities/index.js';
import { Module } from '@nestjs/common';
import { CustomerStatsListener } from './customer-stats.listener.js';
import { CustomersController } from './customers.controller.js';
import { CustomersService } from './customers.service.js';

@Module({
  imports: [MikroOrmModule.forFeature(CUSTOMERS_ENTITIES)],
  controllers: [CustomersController],
  providers: [CustomersService, CustomerStatsListener],
  exports: [CustomersService],
})
export class CustomersModule {}
