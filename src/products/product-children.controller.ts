import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { PageQuery } from '../common/dto/pagination.dto.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { ProductResponse, VariantResponse } from './dto/product.dto.js';
import { ReviewPage, ReviewResponse, UpdateReviewDto } from './dto/review.dto.js';
import { CreateVariantDto, UpdateVariantDto } from './dto/variant.dto.js';
import { ProductImagesService } from './product-images.service.js';
import { ReviewsService } from './reviews.service.js';
import { VariantsService } from './variants.service.js';

/** A product's variants, photos and reviews, seller side. */
@ApiTags('Products')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403, 404)
@Controller('api/products/:id')
export class ProductChildrenController {
  constructor(
    private readonly variants: VariantsService,
    private readonly reviews: ReviewsService,
    private readonly images: ProductImagesService,
  ) {}

  @Delete('images/:imageId')
  @ApiOperation({
    summary:
      "Remove one of the product's photos (add one with PATCH /api/products/:id in multipart); answers the product",
  })
  @ApiOkResponse({ type: ProductResponse })
  removeImage(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('imageId') imageId: string,
  ): Promise<ProductResponse> {
    return this.images.remove(user.sellerId, id, imageId);
  }

  @Post('variants')
  @ApiOperation({ summary: 'Add a variant (its price defaults to the product’s)' })
  @ApiCreatedResponse({ type: VariantResponse })
  @ApiErrors(400, 409)
  addVariant(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: CreateVariantDto,
  ): Promise<VariantResponse> {
    return this.variants.add(user.sellerId, id, dto);
  }

  @Patch('variants/:vId')
  @ApiOperation({ summary: 'Change a variant; PUT accepted too' })
  @ApiOkResponse({ type: VariantResponse })
  @ApiErrors(400, 409)
  updateVariant(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('vId') vId: string,
    @Body() dto: UpdateVariantDto,
  ): Promise<VariantResponse> {
    return this.variants.update(user.sellerId, id, vId, dto);
  }

  @Put('variants/:vId')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: VariantResponse })
  @ApiErrors(400, 409)
  replaceVariant(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('vId') vId: string,
    @Body() dto: UpdateVariantDto,
  ): Promise<VariantResponse> {
    return this.variants.update(user.sellerId, id, vId, dto);
  }

  @Delete('variants/:vId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a variant' })
  @ApiNoContentResponse()
  async removeVariant(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('vId') vId: string,
  ): Promise<void> {
    await this.variants.remove(user.sellerId, id, vId);
  }

  @Get('reviews')
  @ApiOperation({ summary: 'Every review of the product, hidden ones included' })
  @ApiOkResponse({ type: ReviewPage })
  listReviews(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() page: PageQuery): Promise<ReviewPage> {
    return this.reviews.list(user.sellerId, id, page, false);
  }

  @Patch('reviews/:rId')
  @ApiOperation({ summary: 'Hide or show a review on the storefront' })
  @ApiOkResponse({ type: ReviewResponse })
  @ApiErrors(400)
  setReview(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('rId') rId: string,
    @Body() dto: UpdateReviewDto,
  ): Promise<ReviewResponse> {
    return this.reviews.setVisible(user.sellerId, id, rId, dto.isVisible);
  }
}
