import { ApiHeader } from '@nestjs/swagger';

/** The optional Idempotency-Key of both ways to place an order, as Swagger shows it. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,100}$', example: 'order-7f3c2a91' },
    description:
      'Retrying with the same key and the same body returns the same order (header Idempotent-Replayed: ' +
      'true); the same key with another body is 409',
  });
