/**
 * A transaction that commits in the round trip of its held-back writes (Tx.flushWrites with `commit`) is over before
 * MikroORM ends it. The COMMIT MikroORM then sends (or the ROLLBACK, if something after the batch failed) is answered
 * on the client, without a round trip: on the server there is no transaction left for either to end. The batch marks
 * its connection, and the very next query on that client — whatever it is — clears the mark, so the mark can only
 * ever answer the statement that ends the transaction right after the batch; anything else goes to PostgreSQL.
 */
const COMMITTED = Symbol('committed ahead');

type Marked = { [COMMITTED]?: boolean };
type Query = (...args: unknown[]) => unknown;

/** What pg answers to a COMMIT or a ROLLBACK (Kysely reads `command`, `rowCount` and `rows`). */
const ENDED = {
  commit: Object.freeze({ command: 'COMMIT', rowCount: null, oid: null, rows: [], fields: [] }),
  rollback: Object.freeze({ command: 'ROLLBACK', rowCount: null, oid: null, rows: [], fields: [] }),
};

/** Called by a prepared batch whose last statement, a COMMIT, succeeded on this pg connection. */
export function markCommittedAhead(connection: object): void {
  (connection as Marked)[COMMITTED] = true;
}

/** Installed on every client of the pool as it connects (MikroORM's `onPoolCreated`, pool `connect` event). */
export function answerCommittedAhead(client: object): void {
  const target = client as { query: Query; connection: Marked };
  const query: Query = target.query.bind(client);
  target.query = (...args: unknown[]) => {
    const connection = target.connection;
    if (connection[COMMITTED]) {
      connection[COMMITTED] = false;
      const [text, values] = args;
      const ending = text === 'commit' || text === 'rollback' ? ENDED[text] : undefined;
      if (ending && (values === undefined || (Array.isArray(values) && !values.length))) return Promise.resolve(ending);
    }
    return query(...args);
  };
}
