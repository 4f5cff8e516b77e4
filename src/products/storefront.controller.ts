import { Body, Controller, Get, Header, Param, Post, Query } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access.decorators.js';
import { PageQuery } from '../common/dto/pagination.dto.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { CreateReviewDto, ReviewPage, ReviewResponse } from './dto/review.dto.js';
import { StorefrontPage, StorefrontProduct, StorefrontQuery, StoreResponse } from './dto/storefront.dto.js';
import { ReviewsService } from './reviews.service.js';
import { StorefrontService } from './storefront.service.js';

@ApiTags('Storefront')
@Public()
@ApiErrors(404, 429)
@Controller('api/storefront/:storeSlug')
export class StorefrontController {
  constructor(
    private readonly storefront: StorefrontService,
    private readonly reviews: ReviewsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The shop: name and slug (public)' })
  @ApiOkResponse({ type: StoreResponse })
  store(@Param('storeSlug') slug: string): Promise<StoreResponse> {
    return this.storefront.store(slug);
  }

  @Get('products')
  @ApiOperation({
    summary: 'Active products with variants, price, in-stock flag and ratings (public, paginated, searchable)',
  })
  @ApiOkResponse({ type: StorefrontPage })
  @ApiErrors(400)
  @Header('Content-Type', 'application/json; charset=utf-8')
  products(@Param('storeSlug') slug: string, @Query() query: StorefrontQuery): Promise<string> {
    return this.storefront.list(slug, query);
  }

  @Get('products/:id')
  @ApiOperation({ summary: 'One active product (public); counts a storefront view' })
  @ApiOkResponse({ type: StorefrontProduct })
  product(@Param('storeSlug') slug: string, @Param('id') id: string): Promise<StorefrontProduct> {
    return this.storefront.get(slug, id);
  }

  @Post('products/:id/reviews')
  // Stricter than the general per-IP limit: reviews are public writes.
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @ApiOperation({ summary: 'Submit a review: rating 1–5, comment up to 2,000 characters (public)' })
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiErrors(400)
  async review(
    @Param('storeSlug') slug: string,
    @Param('id') id: string,
    @Body() dto: CreateReviewDto,
  ): Promise<ReviewResponse> {
    return this.reviews.submit(await this.storefront.sellerId(slug), id, dto);
  }

  @Get('products/:id/reviews')
  @ApiOperation({ summary: 'Visible reviews of a product, newest first (public)' })
  @ApiOkResponse({ type: ReviewPage })
  async listReviews(
    @Param('storeSlug') slug: string,
    @Param('id') id: string,
    @Query() page: PageQuery,
  ): Promise<ReviewPage> {
    return this.reviews.list(await this.storefront.sellerId(slug), id, page, true);
  }
}
