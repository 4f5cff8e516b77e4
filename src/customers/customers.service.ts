import { EntityManager } from '@mikro-orm/postgresql';
import { customerSearch } from './customer-search.js';
import { Injectable } from '@nestjs/common';
import type { Page } from '../common/dto/pagination.dto.js';
import { patchFields } from '../common/patch.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { isId, newId } from '../ids/ids.js';
import type { CustomerQuery, CustomerResponse, UpdateCustomerDto } from './dto/customer.dto.js';
import { Customer } from './entities/customer.entity.js';

const SORTS: Record<CustomerQuery['sort'], string> = {
  newest: 'created_at desc, id desc',
  totalSpent: 'spent_kes desc, id desc',
  lastOrderAt: 'last_ordered_at desc nulls last, id desc',
};

@Injectable()
export class CustomersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly em: EntityManager,
  ) {}

  /** Inside an order's transaction: the shop's customer with this phone, created (CUSTOMER_CREATED) when new. */
  async findOrCreate(
    tx: Tx,
    sellerId: string,
    name: string,
    phone: string,
  ): Promise<{ customer: Pick<Customer, 'id' | 'name' | 'phone'>; created: boolean }> {
    // One statement finds or creates the row and locks it for the rest of the order's transaction (the no-op update
    // on conflict takes the row lock): one phone's orders are placed, and counted, one at a time.
    const [customer] = await tx.sql<{ id: string; name: string; phone: string; created: boolean }>(
      `insert into customers (id, seller_id, name, phone, tags) values (?, ?, ?, ?, '{}')
       on conflict (seller_id, phone) do update set phone = excluded.phone
       returning id, name, phone, (xmax = 0) as created`,
      [newId('customer'), sellerId, name, phone],
    );
    const { created } = customer;
    if (created) {
      await tx.publish(
        new DomainEvent('CUSTOMER_CREATED', sellerId, {
          customerId: customer.id,
          name: customer.name,
          phone: customer.phone,
          email: null,
        }),
      );
    }
    return { customer, created };
  }

  async list(sellerId: string, query: CustomerQuery): Promise<Page<CustomerResponse>> {
    const em = this.em.fork();
    const { where, params } = customerSearch(sellerId, query.q);
    const rows = await em.execute<{ id: string; total: string }[]>(
      `select id, count(*) over () as total from customers
       where ${where.join(' and ')} order by ${SORTS[query.sort]} limit ? offset ?`,
      [...params, query.limit, (query.page - 1) * query.limit],
    );
    const ids = rows.map((r) => r.id);
    const found = new Map((await em.find(Customer, { id: { $in: ids }, sellerId })).map((c) => [c.id, c]));
    return {
      data: ids.map((id) => toCustomerResponse(found.get(id)!)),
      page: query.page,
      limit: query.limit,
      total: rows.length ? Number(rows[0].total) : 0,
    };
  }

  async get(sellerId: string, id: string): Promise<CustomerResponse> {
    const em = this.em.fork();
    return toCustomerResponse(await this.find(em, sellerId, id));
  }

  async update(sellerId: string, id: string, dto: UpdateCustomerDto): Promise<CustomerResponse> {
    await this.uow.run(async (tx) => {
      const customer = await this.find(tx.em, sellerId, id);
      tx.em.assign(customer, patchFields(dto, ['name', 'tags']));
      await tx.em.flush();
      await tx.publish(
        new DomainEvent('CUSTOMER_UPDATED', sellerId, {
          customerId: customer.id,
          name: customer.name,
          phone: customer.phone,
          email: customer.email ?? null,
        }),
      );
    });
    return this.get(sellerId, id);
  }

  async find(em: EntityManager, sellerId: string, id: string): Promise<Customer> {
    const customer = isId('customer', id) ? await em.findOne(Customer, { id, sellerId }) : null;
    if (!customer) throw AppError.notFound('Customer');
    return customer;
  }

  /** Names and phones of a shop's customers, for reports that rank them. */
  async contacts(sellerId: string, ids: string[]): Promise<Map<string, { name: string; phone: string }>> {
    if (!ids.length) return new Map();
    const rows = await this.em
      .fork()
      .find(Customer, { id: { $in: ids }, sellerId }, { fields: ['id', 'name', 'phone'] });
    return new Map(rows.map((c) => [c.id, { name: c.name, phone: c.phone }]));
  }
}

function toCustomerResponse(c: Customer): CustomerResponse {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    email: c.email ?? null,
    notes: c.notes ?? null,
    tags: c.tags,
    stats: {
      orderCount: c.orderCount,
      totalSpentKes: c.spentKes,
      averageOrderValueKes: c.paidOrderCount ? Math.round(c.spentKes / c.paidOrderCount) : 0,
      firstOrderAt: c.firstOrderedAt ?? null,
      lastOrderAt: c.lastOrderedAt ?? null,
    },
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
