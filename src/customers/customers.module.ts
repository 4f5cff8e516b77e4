import { AuthModule } from '../auth/auth.module.js';
import { CustomerExport } from './customer-export.service.js';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { CUSTOMERS_ENTITIES } from './entities/index.js';
import { Module } from '@nestjs/common';
import { CustomerStatsListener } from './customer-stats.listener.js';
import { CustomersController } from './customers.controller.js';
import { CustomersService } from './customers.service.js';

@Module({
  imports: [MikroOrmModule.forFeature(CUSTOMERS_ENTITIES), AuthModule],
  controllers: [CustomersController],
  providers: [CustomersService, CustomerExport, CustomerStatsListener],
  exports: [CustomersService],
})
export class CustomersModule {}
