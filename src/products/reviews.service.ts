import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Page, PageQuery } from '../common/dto/pagination.dto.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { isId, newId } from '../ids/ids.js';
import type { CreateReviewDto, ReviewResponse } from './dto/review.dto.js';
import { ProductReview } from './entities/product-review.entity.js';
import { ProductsService } from './products.service.js';

function toReviewResponse(r: ProductReview): ReviewResponse {
  return {
    id: r.id,
    productId: r.productId,
    customerName: r.customerName,
    rating: r.rating,
    comment: r.comment ?? null,
    isVisible: r.isVisible,
    createdAt: r.createdAt,
  };
}

@Injectable()
export class ReviewsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
    private readonly products: ProductsService,
  ) {}

  /** A storefront visitor's review of an active product: visible at once, REVIEW_SUBMITTED emitted. */
  submit(sellerId: string, productId: string, dto: CreateReviewDto): Promise<ReviewResponse> {
    return this.uow.run(async (tx) => {
      const product = await this.products.find(tx.em, sellerId, productId);
      if (!product.isActive) throw AppError.notFound('Product');
      const review = tx.em.create(ProductReview, {
        id: newId('review'),
        productId: product.id,
        sellerId,
        customerName: dto.customerName,
        rating: dto.rating,
        comment: dto.comment ?? null,
        isVisible: true,
      });
      await tx.em.flush();
      await tx.publish(
        new DomainEvent('REVIEW_SUBMITTED', sellerId, {
          reviewId: review.id,
          productId: product.id,
          customerName: review.customerName,
          rating: review.rating,
          comment: review.comment ?? null,
        }),
      );
      return toReviewResponse(review);
    });
  }

  async list(
    sellerId: string,
    productId: string,
    page: PageQuery,
    visibleOnly: boolean,
  ): Promise<Page<ReviewResponse>> {
    const em = this.em.fork();
    await this.products.find(em, sellerId, productId);
    const [rows, total] = await em.findAndCount(
      ProductReview,
      { productId, sellerId, ...(visibleOnly ? { isVisible: true } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: page.limit, offset: (page.page - 1) * page.limit },
    );
    return { data: rows.map(toReviewResponse), page: page.page, limit: page.limit, total };
  }

  setVisible(sellerId: string, productId: string, reviewId: string, isVisible: boolean): Promise<ReviewResponse> {
    return this.uow.run(async ({ em }) => {
      const review = isId('review', reviewId)
        ? await em.findOne(ProductReview, { id: reviewId, productId, sellerId })
        : null;
      if (!review) throw AppError.notFound('Review');
      review.isVisible = isVisible;
      await em.flush();
      return toReviewResponse(review);
    });
  }
}
