import { Body, Controller, Get, Patch, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { CustomersService } from './customers.service.js';
import { CustomerPage, CustomerQuery, CustomerResponse, UpdateCustomerDto } from './dto/customer.dto.js';

@ApiTags('Customers')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403)
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiOperation({
    summary: 'Customers with their stats (q on name, phone or email; sort by totalSpent or lastOrderAt)',
  })
  @ApiOkResponse({ type: CustomerPage })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: CustomerQuery): Promise<CustomerPage> {
    return this.customers.list(user.sellerId, query);
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
