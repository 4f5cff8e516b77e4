import { ApiProperty } from '@nestjs/swagger';
import { CustomerResponse } from '../../customers/dto/customer.dto.js';
import { OrderResponse } from './order.dto.js';

export class CustomerDetailResponse extends CustomerResponse {
  @ApiProperty({ type: [OrderResponse], description: 'The 5 most recent orders, newest first (all: GET …/orders)' })
  orders: OrderResponse[];

  @ApiProperty({ type: [OrderResponse], description: 'The same list as `orders` (its first name, kept)' })
  recentOrders: OrderResponse[];
}
