import type { EntityManager } from '@mikro-orm/postgresql';
import { executeConfig, type Executor, statement } from './prepared.js';

/** The parts of pg's Connection a batch writes to (pg-protocol's extended-query messages). */
interface PgConnection {
  parsedStatements: Record<string, string>;
  stream: { cork?: () => void; uncork?: () => void };
  close(msg: { type: 'S'; name: string }): void;
  parse(msg: { name: string; text: string; types: number[] }): void;
  bind(msg: { statement: string; values: unknown[]; valueMapper: (value: unknown) => unknown }): void;
  execute(msg: Record<string, never>): void;
  sync(): void;
}

/** A parameter as text, as PostgreSQL reads it (instants in UTC). */
function toText(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Several prepared statements in one round trip: pg's submittable protocol (what pg-cursor uses) lets this write, for
 * each statement, Bind and Execute of a named statement (Parse first, once per connection), and one Sync after the
 * last — PostgreSQL runs them in order and answers once. An error stops the rest (the transaction fails, as with any
 * statement). Statements are parsed on a connection only by a batch that succeeds; before a Parse goes a Close of the
 * same name, which is no error when there is none, so a batch that failed halfway leaves nothing that breaks the
 * next one. Results are not read: this is for writes whose rows nobody uses.
 *
 * It is handed to pg through the same Kysely executor MikroORM uses (the transaction's), and is thenable so that
 * executor's `await client.query(...)` waits for the answer.
 */
class Batch {
  private settle!: {
    resolve: (r: { command: string; rowCount: number; rows: never[] }) => void;
    reject: (e: unknown) => void;
  };
  private readonly done = new Promise<{ command: string; rowCount: number; rows: never[] }>((resolve, reject) => {
    this.settle = { resolve, reject };
  });
  private failed = false;
  /** Statements this batch parses: counted as parsed on the connection only once it has succeeded. */
  private readonly parsing = new Map<string, string>();

  /**
   * What tracing reads: the OpenTelemetry pg instrumentation names its span from `text` and ends it through
   * `callback`, which it wraps (pg itself never calls a submittable's callback: the submittable does).
   */
  readonly text: string;
  callback: (error: unknown, result?: unknown) => void = () => undefined;

  constructor(private readonly items: { name: string; text: string; values: readonly unknown[] }[]) {
    this.text = items.map((s) => s.text).join(';\n');
  }

  submit(connection: PgConnection): null {
    connection.stream.cork?.();
    try {
      for (const s of this.items) if (connection.parsedStatements[s.name] !== s.text) this.parsing.set(s.name, s.text);
      for (const [name, text] of this.parsing) {
        connection.close({ type: 'S', name });
        connection.parse({ name, text, types: [] });
      }
      for (const s of this.items) {
        connection.bind({ statement: s.name, values: [...s.values], valueMapper: toText });
        connection.execute({});
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCommandComplete(): void {}
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
    const result = { command: 'BATCH', rowCount: 0, rows: [] };
    this.callback(null, result);
    this.settle.resolve(result);
  }

  then<T, E>(onResolve: (r: { rows: never[] }) => T, onReject: (e: unknown) => E): Promise<T | E> {
    return this.done.then(onResolve, onReject);
  }
}

/**
 * Runs `writes` (texts with `?` placeholders, from a small fixed set, as for preparedRows) as named prepared
 * statements in one round trip, in `em`'s transaction. Driver errors come out as MikroORM's typed exceptions.
 */
export async function runPreparedBatch(
  em: EntityManager,
  writes: readonly { sql: string; params: readonly unknown[] }[],
): Promise<void> {
  const executor = em.getTransactionContext<Executor & object>();
  if (!executor) throw new Error('runPreparedBatch runs inside a transaction');
  await executeConfig(em, executor, new Batch(writes.map((w) => ({ ...statement(w.sql), values: w.params }))), []);
}
