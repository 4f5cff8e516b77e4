import type { EntityManager } from '@mikro-orm/postgresql';
import { newId } from '../ids/ids.js';

/** What Daraja posted (an STK callback, a C2B confirmation, a Transaction Status result), kept raw with our outcome. */
export interface CallbackRow {
  sellerId: string;
  paymentId: string | null;
  kind: 'stk' | 'c2b-confirmation' | 'c2b-status';
  checkoutRequestId?: string | null;
  resultCode?: number | null;
  body: unknown;
  outcome: string;
  trusted: boolean;
}

/** The one writer of payment_callbacks, in the caller's transaction. */
export async function keepCallback(em: EntityManager, row: CallbackRow): Promise<void> {
  await em.execute(
    `insert into payment_callbacks (id, seller_id, payment_id, kind, checkout_request_id, result_code, body, outcome,
     trusted) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)`,
    [
      newId('callback'),
      row.sellerId,
      row.paymentId,
      row.kind,
      row.checkoutRequestId ?? null,
      row.resultCode ?? null,
      JSON.stringify(row.body ?? null),
      row.outcome,
      row.trusted,
    ],
  );
}

/**
 * The one writer of payment_queries (a status question asked of Daraja, and its answer when it has one), in the
 * caller's transaction. `response` undefined stores none; anything else is stored as JSON.
 */
export async function keepQuery(
  em: EntityManager,
  row: { paymentId: string; resultCode: number | null; resultDesc: string; definite: boolean; response?: unknown },
): Promise<void> {
  await em.execute(
    `insert into payment_queries (id, payment_id, result_code, result_desc, definite, response)
     values (?, ?, ?, ?, ?, ?::jsonb)`,
    [
      newId('query'),
      row.paymentId,
      row.resultCode,
      row.resultDesc.slice(0, 500),
      row.definite,
      row.response === undefined ? null : JSON.stringify(row.response),
    ],
  );
}
