import type { EntityManager } from '@mikro-orm/postgresql';
import { createRequire } from 'node:module';
import { executeConfig, type Executor, statement } from './prepared.js';

/**
 * pg's own conversion of a query's values (what `client.query` applies to each: instants with their offset, arrays as
 * PostgreSQL arrays, objects as JSON), so a statement's values read the same in a batch as alone. Exported, not typed.
 */
const pgUtils = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };

/** A statement of a batch: a text with `?` placeholders (from a small fixed set, as for preparedRows), its values. */
export interface BatchStatement {
  sql: string;
  params: readonly unknown[];
  /** Read its rows (a RETURNING or a SELECT); otherwise they are not even described. */
  read?: boolean;
}

/** What PostgreSQL says a result column is (pg-protocol's RowDescription field). */
interface Field {
  name: string;
  dataTypeID: number;
  format: string;
}

/** The client's type parsers (pg's TypeOverrides), which pg hands to a submittable's `_result`. */
interface TypeParsers {
  getTypeParser(oid: number, format: string): (value: string) => unknown;
}

/** The parts of pg's Connection a batch writes to (pg-protocol's extended-query messages). */
interface PgConnection {
  parsedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  close(msg: { type: 'S'; name: string }): void;
  parse(msg: { name: string; text: string; types: number[] }): void;
  bind(msg: { statement: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  describe(msg: { type: 'P'; name: string }): void;
  execute(msg: Record<string, never>): void;
  sync(): void;
}

type Rows = Record<string, unknown>[];
type Outcome = { command: string; rowCount: number; rows: Rows[] };

/**
 * Several prepared statements in one round trip: pg's submittable protocol (what pg-cursor uses) lets this write, for
 * each statement, Bind and Execute of a named statement (Parse first, once per connection), and one Sync after the
 * last — PostgreSQL runs them in order and answers once. An error stops the rest (the transaction fails, as with any
 * statement). Statements are parsed on a connection only by a batch that succeeds; before a Parse goes a Close of the
 * same name, which is no error when there is none, so a batch that failed halfway leaves nothing that breaks the
 * next one. The rows of the statements marked `read` come back, parsed by the client's own type parsers.
 *
 * It is handed to pg through the same Kysely executor MikroORM uses (the transaction's), and is thenable so that
 * executor's `await client.query(...)` waits for the answer.
 */
class Batch {
  private settle!: { resolve: (r: Outcome) => void; reject: (e: unknown) => void };
  private readonly done = new Promise<Outcome>((resolve, reject) => {
    this.settle = { resolve, reject };
  });
  private failed = false;
  /** Statements this batch parses: counted as parsed on the connection only once it has succeeded. */
  private readonly parsing = new Map<string, string>();
  /** Rows per statement, and where the answer is: the statement whose CommandComplete comes next. */
  private readonly rows: Rows[];
  private current = 0;
  private parsers: { name: string; parse: (value: string) => unknown }[] = [];
  /** pg sets `_types` here to the client's type parsers before it submits the batch. */
  readonly _result: { _types?: TypeParsers } = {};

  /**
   * What tracing reads: the OpenTelemetry pg instrumentation names its span from `text` and ends it through
   * `callback`, which it wraps (pg itself never calls a submittable's callback: the submittable does).
   */
  readonly text: string;
  callback: (error: unknown, result?: unknown) => void = () => undefined;

  constructor(private readonly items: { name: string; text: string; values: readonly unknown[]; read: boolean }[]) {
    this.text = items.map((s) => s.text).join(';\n');
    this.rows = items.map(() => []);
  }

  submit(connection: PgConnection): null {
    connection.stream.cork?.();
    try {
      for (const s of this.items)
        if (s.name && connection.parsedStatements[s.name] !== s.text) this.parsing.set(s.name, s.text);
      for (const [name, text] of this.parsing) {
        connection.close({ type: 'S', name });
        connection.parse({ name, text, types: [] });
      }
      for (const s of this.items) {
        // Unnamed (behind a transaction pooler): parsed right before its Bind, each Parse replacing the last.
        if (!s.name) connection.parse({ name: '', text: s.text, types: [] });
        connection.bind({ statement: s.name, values: [...s.values], valueMapper: pgUtils.prepareValue });
        if (s.read) connection.describe({ type: 'P', name: '' });
        connection.execute({});
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(msg: { fields: Field[] }): void {
    const types = this._result._types;
    this.parsers = msg.fields.map((f) => ({
      name: f.name,
      parse: types ? types.getTypeParser(f.dataTypeID, f.format) : (value: string) => value,
    }));
  }

  handleDataRow(msg: { fields: (string | null)[] }): void {
    if (!this.items[this.current]?.read) return;
    const row: Record<string, unknown> = {};
    msg.fields.forEach((value, i) => {
      const column = this.parsers[i];
      row[column.name] = value === null ? null : column.parse(value);
    });
    this.rows[this.current].push(row);
  }

  handleCommandComplete(): void {
    this.current++;
    this.parsers = [];
  }

  handleEmptyQuery(): void {
    this.current++;
  }

  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}

  handleError(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.callback(error);
    this.settle.reject(error);
  }

  handleReadyForQuery(connection: PgConnection): void {
    if (this.failed) return;
    for (const [name, text] of this.parsing) connection.parsedStatements[name] = text;
    const result = { command: 'BATCH', rowCount: 0, rows: this.rows };
    this.callback(null, result);
    this.settle.resolve(result);
  }

  then<T, E>(onResolve: (r: Outcome) => T, onReject: (e: unknown) => E): Promise<T | E> {
    return this.done.then(onResolve, onReject);
  }
}

/**
 * Runs `statements` as named prepared statements in one round trip, in `em`'s transaction (or by `executor`: a
 * connection of its own, see direct-connection.ts), and answers the rows of each (empty for those not marked `read`).
 * Driver errors come out as MikroORM's typed exceptions.
 */
export async function runPreparedBatch(
  em: EntityManager,
  statements: readonly BatchStatement[],
  executor = em.getTransactionContext<Executor & object>(),
): Promise<Rows[]> {
  if (!executor) throw new Error('runPreparedBatch runs inside a transaction');
  const batch = new Batch(statements.map((w) => ({ ...statement(w.sql), values: w.params, read: w.read ?? false })));
  return executeConfig<Rows>(em, executor, batch, []);
}
