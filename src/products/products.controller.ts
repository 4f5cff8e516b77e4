import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  StreamableFile,
  type Type,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from '../auth/auth-user.js';
import { ApiBodies } from '../common/swagger/api-bodies.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { BulkImportService } from './bulk-import.service.js';
import { uploadedRows } from './csv-rows.js';
import {
  BulkQuery,
  BulkResult,
  CreateProductDto,
  CreateProductMultipartDto,
  NewProductDto,
  ProductExportQuery,
  ProductPage,
  ProductQuery,
  ProductResponse,
  UpdateProductDto,
  UpdateProductMultipartDto,
} from './dto/product.dto.js';
import { MAX_BULK_ROWS } from './bulk-import.service.js';
import { MAX_IMAGE_BYTES } from './image-check.js';
import { ProductExport } from './product-export.service.js';
import { MAX_STOCK_ROWS, StockTakeService } from './stock-take.service.js';
import { StockCountRow, StockTakeResult } from './dto/stock-take.dto.js';
import { ProductsService, type UploadedImage } from './products.service.js';

/** Every multipart route: one file, a few short fields, a bounded number of parts (busboy stops reading past them). */
const MULTIPART_LIMITS = {
  files: 1,
  fields: 30,
  parts: 32,
  fieldSize: 64 * 1024,
  fieldNameSize: 100,
  headerPairs: 100,
};
/** A body taken as JSON, or as a multipart form that may also carry an `image`: each with its own schema. */
const jsonOrMultipart = (json: Type, multipart: Type) => ({
  'application/json': { schema: { $ref: getSchemaPath(json) } },
  'multipart/form-data': { schema: { $ref: getSchemaPath(multipart) } },
});
const imageUpload = FileInterceptor('image', { limits: { ...MULTIPART_LIMITS, fileSize: MAX_IMAGE_BYTES } });
/** An upload of rows: a CSV file as `file` (2 MB), or else the body (a JSON array, or CSV text). */
const csvUpload = FileInterceptor('file', { limits: { ...MULTIPART_LIMITS, fileSize: 2 * 1024 * 1024 } });
/** The three bodies such a route takes, documented once: JSON rows of `item`, a CSV body, a CSV file. */
const rowsBody = (description: string, item: Type, maxItems: number, csvExample: string) => ({
  description,
  content: {
    'application/json': {
      schema: { type: 'array', minItems: 1, maxItems, items: { $ref: getSchemaPath(item) } },
    },
    'text/csv': { schema: { type: 'string', example: csvExample } },
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary', description: 'The CSV file, at most 2 MB' } },
      },
    },
  },
});

@ApiExtraModels(
  StockCountRow,
  NewProductDto,
  CreateProductDto,
  CreateProductMultipartDto,
  UpdateProductDto,
  UpdateProductMultipartDto,
)
@ApiTags('Products')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/products')
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly bulk: BulkImportService,
    private readonly exporter: ProductExport,
    private readonly stockTake: StockTakeService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List products (paginated; filter by q, category, isActive, inStock, lowStock; sort)' })
  @ApiOkResponse({ type: ProductPage })
  @ApiErrors(400)
  @Header('Content-Type', 'application/json; charset=utf-8')
  list(@CurrentUser() user: AuthUser, @Query() query: ProductQuery): Promise<string> {
    return this.products.list(user.sellerId, query);
  }

  @Get('export')
  @ApiOperation({
    summary: "The catalogue as CSV, by name (the list's filters), for a stock take or a price list",
    description:
      'UTF-8 with a byte-order mark; one row per product without variants and one per variant (never both, so ' +
      "`stock` sums to the units held); columns name, variant, sku, category, priceKes (the variant's own or the " +
      "product's), compareAtPriceKes, stock, lowStockThreshold, stockValueKes (priceKes × stock), isActive, " +
      'updatedAt (Nairobi time, +03:00), productId, variantId. A cell a spreadsheet would run as a formula starts ' +
      'with a quote.',
  })
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors(400)
  export(@CurrentUser() user: AuthUser, @Query() query: ProductExportQuery): Promise<StreamableFile> {
    return this.exporter.download(user.sellerId, query);
  }

  @Post()
  @UseInterceptors(imageUpload)
  @ApiBodies(jsonOrMultipart(NewProductDto, CreateProductMultipartDto))
  @ApiOperation({
    summary:
      'Create a product, with its variants if it has any: multipart/form-data with an optional `image` (JPEG, PNG or ' +
      'WebP, ≤ 5 MB), or JSON',
  })
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiErrors(400, 409, 413)
  create(
    @CurrentUser() user: AuthUser,
    @Body() dto: NewProductDto,
    @UploadedFile() image?: UploadedImage,
  ): Promise<ProductResponse> {
    return this.products.create(user.sellerId, dto, image);
  }

  @Post('bulk')
  @HttpCode(200)
  @UseInterceptors(csvUpload)
  @ApiBodies(
    rowsBody(
      `A JSON array of products, a CSV body with a header row, or a CSV uploaded as \`file\`; up to ` +
        `${MAX_BULK_ROWS} rows. CSV columns are the JSON field names (name, priceKes, description, ` +
        'compareAtPriceKes, sku, category, stock, lowStockThreshold, isActive); each row is checked by the same ' +
        'rules as a JSON row',
      CreateProductDto,
      MAX_BULK_ROWS,
      'name,priceKes,stock\nKikoi,1200,10\nKiondo,2500,4\n',
    ),
  )
  @ApiOperation({
    summary: 'Bulk create: every row validated first; nothing is created while any row is bad, unless ?partial=true',
    description:
      'A bad row refuses the whole import: 400 VALIDATION_ERROR (409 CONFLICT when the only problem is SKUs already ' +
      'in the shop) in the error envelope, `errors` naming each row and field, `created: 0`. With `?partial=true` ' +
      'the good rows are created and the answer is 200 `{created, errors, ids}` naming the rows left out.',
  })
  @ApiOkResponse({ type: BulkResult })
  @ApiErrors(400, 409, 413)
  async bulkCreate(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @Query() query: BulkQuery,
    @UploadedFile() file?: UploadedImage,
  ): Promise<BulkResult> {
    return this.bulk.import(user.sellerId, uploadedRows(body, file).rows, query.partial ?? false);
  }

  @Post('stock-take')
  @HttpCode(200)
  @UseInterceptors(csvUpload)
  @ApiBodies(
    rowsBody(
      `Up to ${MAX_STOCK_ROWS} counted lines: a JSON array, a CSV body with a header row, or a CSV uploaded as ` +
        '`file`. Each line names a product sold without variants (`productId`), a variant (`variantId`, its ' +
        '`productId` optional) or either by `sku`, with the units counted (`stock`). The products export comes ' +
        'back as it is with its stock column edited: other CSV columns are ignored, and a line whose stock cell is ' +
        'empty is skipped (not counted).',
      StockCountRow,
      MAX_STOCK_ROWS,
      'sku,stock\nKK-1,12\nSND-40,3\n',
    ),
  )
  @ApiOperation({
    summary: 'Stock take: the units counted become the stock, all or nothing',
    description:
      'A bad line (unknown product, variant or SKU; a product sold by variant named alone; a thing counted twice; ' +
      'a stock that is not a whole number ≥ 0) refuses the whole upload: 400 VALIDATION_ERROR, `errors` naming ' +
      'each row (1 = the first line after the CSV header) and field, `updated: 0`. Each difference is applied ' +
      'against the stock held at that moment, under the row lock, so sales during the upload are not undone by it; ' +
      'one PRODUCT_UPDATED per product that changed, LOW_STOCK_ALERT where it crossed down. Written to the audit ' +
      'log (`products.stock_counted`).',
  })
  @ApiOkResponse({ type: StockTakeResult })
  @ApiErrors(400, 409, 413)
  countStock(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Body() body: unknown,
    @UploadedFile() file?: UploadedImage,
  ): Promise<StockTakeResult> {
    const { rows, csv } = uploadedRows(body, file);
    return this.stockTake.count(user.sellerId, actor, rows, csv);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One product with its variants' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ProductResponse> {
    return this.products.get(user.sellerId, id);
  }

  @Patch(':id')
  @UseInterceptors(imageUpload)
  @ApiBodies(jsonOrMultipart(UpdateProductDto, UpdateProductMultipartDto))
  @ApiOperation({ summary: 'Change product fields (an `image` in multipart adds one); PUT accepted too' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(400, 404, 409, 413)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateProductDto,
    @UploadedFile() image?: UploadedImage,
  ): Promise<ProductResponse> {
    return this.products.update(user.sellerId, id, dto, image);
  }

  @Put(':id')
  @UseInterceptors(imageUpload)
  @ApiBodies(jsonOrMultipart(UpdateProductDto, UpdateProductMultipartDto))
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: ProductResponse })
  @ApiErrors(400, 404, 409, 413)
  replace(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateProductDto,
    @UploadedFile() image?: UploadedImage,
  ): Promise<ProductResponse> {
    return this.products.update(user.sellerId, id, dto, image);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Soft delete: gone from lists and the storefront, kept for order history' })
  @ApiNoContentResponse()
  @ApiErrors(404)
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.products.remove(user.sellerId, id);
  }
}
