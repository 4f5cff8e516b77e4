import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Page } from '../common/dto/pagination.dto.js';
import { patchFields } from '../common/patch.js';
import { type Tx, UnitOfWork } from '../database/unit-of-work.js';
import { AppError } from '../errors/app-error.js';
import { DomainEvent } from '../events/domain-event.js';
import { isId, newId } from '../ids/ids.js';
import type { CustomerQuery, CustomerResponse, CustomerStats, UpdateCustomerDto } from './dto/customer.dto.js';
import { PAID_ORDER_STATUSES } from '../orders/entities/order.entity.js';
import { Customer } from './entities/customer.entity.js';

/** PAID_ORDER_STATUSES as an SQL list, for `status in ${PAID_STATUSES}`. */
export const PAID_STATUSES = `(${PAID_ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})`;

interface StatsRow {
  customer_id: string;
  order_count: string;
  total_spent: string;
  paid_count: string;
  first_order_at: Date | null;
  last_order_at: Date | null;
}

const SORTS: Record<CustomerQuery['sort'], string> = {
  newest: 'c.created_at desc, c.id desc',
  totalSpent: 'coalesce(s.total_spent, 0) desc, c.id desc',
  lastOrderAt: 's.last_order_at desc nulls last, c.id desc',
};

const STATS_SQL = `select customer_id, count(*) as order_count,
    coalesce(sum(total_kes) filter (where status in ${PAID_STATUSES}), 0) as total_spent,
    count(*) filter (where status in ${PAID_STATUSES}) as paid_count,
    min(created_at) as first_order_at, max(created_at) as last_order_at
  from orders where seller_id = ? group by customer_id`;

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
  ): Promise<{ customer: Customer; created: boolean }> {
    const id = newId('customer');
    const inserted = await tx.em.execute<{ id: string }[]>(
      `insert into customers (id, seller_id, name, phone, tags) values (?, ?, ?, ?, '{}') on conflict (seller_id, phone) do nothing returning id`,
      [id, sellerId, name, phone],
    );
    const customer = await tx.em.findOneOrFail(Customer, { sellerId, phone });
    if (inserted.length) {
      await tx.publish(
        new DomainEvent('CUSTOMER_CREATED', sellerId, {
          customerId: customer.id,
          name: customer.name,
          phone: customer.phone,
          email: null,
        }),
      );
    }
    return { customer, created: inserted.length > 0 };
  }

  async list(sellerId: string, query: CustomerQuery): Promise<Page<CustomerResponse>> {
    const em = this.em.fork();
    const where = ['c.seller_id = ?'];
    const params: unknown[] = [sellerId, sellerId];
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push('(c.name ilike ? or c.phone ilike ? or c.email ilike ?)');
      params.push(like, like, like);
    }
    const rows = await em.execute<{ id: string; total: string }[]>(
      `select c.id, count(*) over () as total from customers c left join (${STATS_SQL}) s on s.customer_id = c.id
       where ${where.join(' and ')} order by ${SORTS[query.sort]} limit ? offset ?`,
      [...params, query.limit, (query.page - 1) * query.limit],
    );
    const ids = rows.map((r) => r.id);
    const data = await this.load(em, sellerId, ids);
    return {
      data: ids.map((id) => data.get(id)!),
      page: query.page,
      limit: query.limit,
      total: rows.length ? Number(rows[0].total) : 0,
    };
  }

  async get(sellerId: string, id: string): Promise<CustomerResponse> {
    const em = this.em.fork();
    const customer = await this.find(em, sellerId, id);
    return (await this.load(em, sellerId, [customer.id])).get(customer.id)!;
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

  private async load(em: EntityManager, sellerId: string, ids: string[]): Promise<Map<string, CustomerResponse>> {
    if (!ids.length) return new Map();
    const [customers, stats] = await Promise.all([
      em.find(Customer, { id: { $in: ids }, sellerId }),
      em.execute<StatsRow[]>(
        `select * from (${STATS_SQL}) s where customer_id in (select json_array_elements_text(?::json))`,
        [sellerId, JSON.stringify(ids)],
      ),
    ]);
    const byId = new Map(stats.map((s) => [s.customer_id, s]));
    return new Map(
      customers.map((c) => [
        c.id,
        {
          id: c.id,
          name: c.name,
          phone: c.phone,
          email: c.email ?? null,
          notes: c.notes ?? null,
          tags: c.tags,
          stats: toStats(byId.get(c.id)),
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
        },
      ]),
    );
  }
}

function toStats(row?: StatsRow): CustomerStats {
  const total = Number(row?.total_spent ?? 0);
  const paid = Number(row?.paid_count ?? 0);
  return {
    orderCount: Number(row?.order_count ?? 0),
    totalSpentKes: total,
    averageOrderValueKes: paid ? Math.round(total / paid) : 0,
    firstOrderAt: row?.first_order_at ?? null,
    lastOrderAt: row?.last_order_at ?? null,
  };
}
