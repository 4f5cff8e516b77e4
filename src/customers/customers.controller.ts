import { Body, Controller, Get, Patch, Param, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, type AuthUser, CurrentUser, RequestActor } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { CustomerExport } from './customer-export.service.js';
import { CustomersService } from './customers.service.js';
import {
  CustomerExportQuery,
  CustomerPage,
  CustomerQuery,
  CustomerResponse,
  UpdateCustomerDto,
} from './dto/customer.dto.js';

@ApiTags('Customers')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly exporter: CustomerExport,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Customers with their stats (q on name, phone or email; sort by totalSpent or lastOrderAt)',
  })
  @ApiOkResponse({ type: CustomerPage })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: CustomerQuery): Promise<CustomerPage> {
    return this.customers.list(user.sellerId, query);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Every customer as CSV (newest first; q as the list), for an SMS list or the books',
    description:
      'UTF-8 with a byte-order mark; columns name, phone, email, tags ("wholesale; nairobi"), orderCount, ' +
      'paidOrderCount, spentKes, firstOrderedAt, lastOrderedAt, customerSince (Nairobi time, +03:00), customerId. ' +
      'Notes stay out. A cell a spreadsheet would run as a formula starts with a quote. Each download is written ' +
      'to the audit log (`customers.exported`).',
  })
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors(400)
  export(
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
    @Query() query: CustomerExportQuery,
  ): Promise<StreamableFile> {
    return this.exporter.download(user.sellerId, query, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a customer's name, email, notes or tags; PUT accepted too" })
  @ApiOkResponse({ type: CustomerResponse })
  @ApiErrors(400, 404)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateCustomerDto,
  ): Promise<CustomerResponse> {
    return this.customers.update(user.sellerId, id, dto);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Same as PATCH' })
  @ApiOkResponse({ type: CustomerResponse })
  @ApiErrors(400, 404)
  replace(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateCustomerDto,
  ): Promise<CustomerResponse> {
    return this.customers.update(user.sellerId, id, dto);
  }
}
