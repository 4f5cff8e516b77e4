import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/access.decorators.js';
import { ApiErrors } from '../../common/swagger/api-errors.js';
import { AppError } from '../../errors/app-error.js';
import { ImageStorage } from './image-storage.js';

@ApiTags('Storefront')
@Public()
@Controller('api/media')
export class MediaController {
  constructor(private readonly storage: ImageStorage) {}

  @Get('products/:key')
  @ApiOperation({ summary: 'A product image, at the stable URL given in the product' })
  // The image types belong to the 200 alone: a 404 is the JSON error envelope like everywhere else.
  @ApiOkResponse({
    description: 'The image bytes (cached for a year: the key never changes)',
    content: Object.fromEntries(
      ['image/jpeg', 'image/png', 'image/webp'].map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiErrors(404)
  async image(@Param('key') key: string, @Res() res: Response): Promise<void> {
    const image = await this.storage.get(key);
    if (!image) throw AppError.notFound('Image');
    // Images never change under a key: cache them for a year.
    res
      .set({
        'Content-Type': image.contentType,
        'Cache-Control': 'public, max-age=31536000, immutable',
        'X-Content-Type-Options': 'nosniff',
        // Shown on the shop's own website, on another domain: helmet's same-origin default would block the <img>.
        'Cross-Origin-Resource-Policy': 'cross-origin',
      })
      .send(image.data);
  }
}
