import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from '../../errors/error-codes.js';

export class FieldErrorDto {
  @ApiProperty({ example: 'priceKes' }) field: string;
  @ApiProperty({ example: 'priceKes must be a positive integer' }) message: string;
  @ApiPropertyOptional({ example: 3, description: 'A refused bulk import: the 1-based row (after the CSV header)' })
  row?: number;
}

/** The error envelope, as Swagger shows it. */
export class ErrorResponseDto {
  @ApiProperty({ example: false }) success: false;
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'NOT_FOUND' }) code: ErrorCode;
  @ApiProperty({ example: 'Product not found' }) message: string;
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Present on VALIDATION_ERROR, and on a bulk import refused for its rows (each naming its `row`)',
  })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ example: 0, description: 'A refused bulk import: nothing was created' }) created?: number;
}

const DESCRIPTIONS: Partial<Record<number, string>> = {
  400: 'VALIDATION_ERROR: the request failed validation',
  401: 'UNAUTHORIZED: missing or invalid auth token',
  403: 'FORBIDDEN: your role may not do this',
  404: 'NOT_FOUND: does not exist or is not yours',
  409: 'CONFLICT: duplicate or a move not allowed from the current state',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED: back off and retry after Retry-After seconds',
};

/** Documents the envelope for each status a route can answer with. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}
