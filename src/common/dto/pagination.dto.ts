import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_PAGE_LIMIT = 100;

/** A page size: absent, the field's default; not a whole number or below 1, a 400; above the cap, the cap. */
export const capLimit = ({ value }: { value: unknown }): unknown =>
  value === undefined ? value : Math.min(Number(value), MAX_PAGE_LIMIT);

/**
 * `?page=1&limit=20` for seller lists; limit capped at 100, as DESIGN.md says and the partner lists do: a larger one
 * is answered with 100 (the answer's `limit` says what was applied), not refused.
 */
export class PageQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({
    default: 20,
    minimum: 1,
    description: "Capped at 100: the answer's `limit` says what was applied",
  })
  @IsOptional()
  @Transform(capLimit)
  @IsInt()
  @Min(1)
  limit: number = 20;
}

export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
}
