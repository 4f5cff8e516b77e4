import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { PageQuery } from '../common/dto/pagination.dto.js';
import { ApiErrors } from '../common/swagger/api-errors.js';
import { CustomersService } from '../customers/customers.service.js';
import { CustomerDetailResponse } from './dto/customer-detail.dto.js';
import { OrderPage } from './dto/order.dto.js';
import { OrdersService } from './orders.service.js';

/** The customer views that need orders: here, so the customers module does not depend on orders. */
@ApiTags('Customers')
@ApiCookieAuth('cookie')
@ApiBearerAuth('bearer')
@ApiErrors(401, 403, 404)
@Controller('api/customers/:id')
export class CustomerOrdersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly orders: OrdersService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Customer profile, stats and recent orders' })
  @ApiOkResponse({ type: CustomerDetailResponse })
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<CustomerDetailResponse> {
    const customer = await this.customers.get(user.sellerId, id);
    const recent = await this.orders.listForCustomer(user.sellerId, customer.id, { page: 1, limit: 5 });
    // "Get customer profile, orders, and stats" (the reference): `orders`, the name a client guesses first.
    return { ...customer, orders: recent.data, recentOrders: recent.data };
  }

  @Get('orders')
  @ApiOperation({ summary: "A customer's orders, newest first" })
  @ApiOkResponse({ type: OrderPage })
  async list(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() page: PageQuery): Promise<OrderPage> {
    const customer = await this.customers.get(user.sellerId, id);
    return this.orders.listForCustomer(user.sellerId, customer.id, page);
  }
}
