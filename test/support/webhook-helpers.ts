import type { INestApplication } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { DomainEvent } from '../../src/events/domain-event.js';
import type { OrderEventData } from '../../src/events/event-catalogue.js';
import type { SellerSession } from './factories.js';

/** The reference's Node.js verification snippet, as sellers run it. */
export function verifySignature(rawBody: string | Buffer, signatureHeader: string, secret: string): boolean {
  const expected = 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
  const a = Buffer.from(signatureHeader);
  const b = Buffer.from(expected);
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export function sampleOrder(n = 42): OrderEventData {
  return {
    orderId: `ord_${String(n).padStart(26, '0')}`,
    referenceCode: `SKH-2025-${String(n).padStart(5, '0')}`,
    status: 'PENDING',
    totalKes: 4500,
    customerName: 'Amina Wanjiku',
    customerPhone: '+254712345678',
    itemCount: 3,
  };
}

/** Publishes ORDER_CREATED events inside one real transaction, as a service would; `fail` rolls it back. */
export async function publishOrders(
  app: INestApplication,
  sellerId: string,
  count = 1,
  fail = false,
): Promise<DomainEvent<'ORDER_CREATED'>[]> {
  const events = Array.from(
    { length: count },
    (_, i) => new DomainEvent('ORDER_CREATED', sellerId, sampleOrder(i + 1)),
  );
  await app.get(UnitOfWork).run(async (tx) => {
    for (const event of events) await tx.publish(event);
    if (fail) throw new Error('the change failed after publishing');
  });
  return events;
}

export async function sql<T = Record<string, unknown>>(
  app: INestApplication,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  return app.get(MikroORM).em.fork().execute<T[]>(query, params);
}

export async function createEndpoint(
  http: TestAgent,
  s: SellerSession,
  url: string,
  events = ['ORDER_CREATED'],
): Promise<{ id: string; secret: string }> {
  const res = await http.post('/api/webhooks').set('Cookie', s.cookie).send({ url, events }).expect(201);
  return { id: res.body.id, secret: res.body.secret };
}
