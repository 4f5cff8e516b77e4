import { MikroOrmModule } from '@mikro-orm/nestjs';
import { PRODUCTS_ENTITIES } from './entities/index.js';
import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { AuthModule } from '../auth/auth.module.js';
import { AppConfig } from '../config/app-config.js';
import { BulkImportService } from './bulk-import.service.js';
import { ProductChildrenController } from './product-children.controller.js';
import { ProductExport } from './product-export.service.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';
import { ReviewsService } from './reviews.service.js';
import { StockService } from './stock.service.js';
import { StockTakeService } from './stock-take.service.js';
import { StorefrontController } from './storefront.controller.js';
import { StorefrontService } from './storefront.service.js';
import { ImageQuota } from './image-quota.service.js';
import { ProductInsightsService } from './product-insights.service.js';
import { ImageStorage, LocalImageStorage } from './storage/image-storage.js';
import { MediaController } from './storage/media.controller.js';
import { VariantsService } from './variants.service.js';
import { ProductImagesService } from './product-images.service.js';

/** The catalogue: products, variants, images, bulk import, reviews, and the public storefront. */
@Module({
  imports: [MikroOrmModule.forFeature(PRODUCTS_ENTITIES), AuthModule],
  controllers: [ProductsController, ProductChildrenController, StorefrontController, MediaController],
  providers: [
    ProductsService,
    ImageQuota,
    VariantsService,
    ProductImagesService,
    StockService,
    StockTakeService,
    BulkImportService,
    ProductExport,
    ReviewsService,
    StorefrontService,
    ProductInsightsService,
    {
      provide: ImageStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new LocalImageStorage(join(config.dataDir, 'uploads', 'products')),
    },
  ],
  // Orders take and return stock through StockService, and resolve shops and products through these two; analytics
  // reads views and stock through ProductInsightsService.
  exports: [StockService, ProductsService, StorefrontService, ProductInsightsService],
})
export class ProductsModule {}
