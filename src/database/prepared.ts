import type { EntityManager } from '@mikro-orm/postgresql';
import type { CompiledQuery, QueryResult } from 'kysely';
import { createHash } from 'node:crypto';
import type { QueryResultRow } from 'pg';

/**
 * Hot statements as named prepared statements. MikroORM inlines parameters into the text, so PostgreSQL parses and
 * plans every execution again (most of an order's database CPU was parsing and planning). A named statement is parsed
 * once per pooled connection and its parameters travel apart from the text.
 *
 * Inside a transaction the statement goes through its Kysely executor (MikroORM's), whose PostgreSQL driver hands
 * `sql` to pg's `client.query(sql, parameters)` as it is: given pg's query config (`{ name, text }`) there, pg prepares
 * it under that name. Outside one it goes to MikroORM's own pg pool (`getNativeClient`) as `pool.query(config)`: the
 * same connections, type parsers and timeouts, without Kysely's connection provider around each query (a tenth of the
 * product list's app CPU, A/B bench). Only for texts from a small fixed set (no IN lists of varying length): each
 * distinct text is prepared once on each connection. Placeholders are written `?`, as everywhere else.
 */
export interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

const statements = new Map<string, { name: string; text: string }>();
let named = true;

/**
 * DATABASE_POOLER=transaction: each transaction may run on another server connection, where a statement named on the
 * last one does not exist ("prepared statement … does not exist"), so statements go unnamed — parsed with each
 * execution, their parameters still apart from the text. Set once at start, for the process's one database.
 */
export function nameStatements(on: boolean): void {
  named = on;
  statements.clear();
}

/**
 * The statement for a text: `?` placeholders numbered, named by a digest of the numbered text (or unnamed, an empty
 * name, behind a transaction pooler).
 */
export function statement(text: string): { name: string; text: string } {
  let s = statements.get(text);
  if (!s) {
    let n = 0;
    const numbered = text.replace(/\?/g, () => `$${++n}`);
    s = { name: named ? `s_${createHash('sha1').update(numbered).digest('hex').slice(0, 16)}` : '', text: numbered };
    statements.set(text, s);
  }
  return s;
}

/**
 * Rows of a prepared statement, run by `executor` (by default `em`'s transaction's when it has one), else on the pool.
 * Driver errors come out as MikroORM's typed exceptions, as they do from em.execute.
 */
export async function preparedRows<R>(
  em: EntityManager,
  text: string,
  values: readonly unknown[],
  executor = em.getTransactionContext<Executor & object>(),
): Promise<R[]> {
  // A fresh config each time: pg writes the values into the object it is given.
  if (executor) return executeConfig<R>(em, executor, { ...statement(text) }, values);
  // As em.execute does: a connection closed by orm.close() (or never opened) is opened again.
  const pool = await em.getConnection().getNativeClient();
  try {
    return (await pool.query<R & QueryResultRow>({ ...statement(text), values: [...values] })).rows;
  } catch (error) {
    throw typed(em, error);
  }
}

/**
 * Hands pg `config` (a query config, or a submittable such as a prepared batch) through `executor`, the Kysely
 * executor MikroORM uses, whose PostgreSQL driver passes it to `client.query` as it is. Driver errors come out as
 * MikroORM's typed exceptions.
 */
export async function executeConfig<R>(
  em: EntityManager,
  executor: Executor,
  config: object,
  parameters: readonly unknown[],
): Promise<R[]> {
  const query = {
    sql: config as unknown as string,
    parameters,
    query: { kind: 'RawNode' },
    queryId: { queryId: '' },
  } as unknown as CompiledQuery<R>;
  try {
    return (await executor.executeQuery(query)).rows;
  } catch (error) {
    throw typed(em, error);
  }
}

/** The same typed exceptions em.execute throws (a unique violation is UniqueConstraintViolationException). */
function typed(em: EntityManager, error: unknown): unknown {
  return error instanceof Error ? em.getDriver().convertException(error) : error;
}
