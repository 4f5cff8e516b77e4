import { mikroOrmOptions } from './mikro-orm.options.js';

describe('mikroOrmOptions reads DATABASE_URL as pg does', () => {
  it('passes what the URL says beyond host, port, user, password and database to the pool', () => {
    const options = mikroOrmOptions(
      'postgresql://shop:s%40cret@db.example.com:6432/sokohub?sslmode=no-verify&application_name=api',
      4,
      250,
    );
    expect(options).toMatchObject({ host: 'db.example.com', port: 6432, user: 'shop', password: 's@cret' });
    expect(options.dbName).toBe('sokohub');
    expect(options.driverOptions).toMatchObject({
      ssl: { rejectUnauthorized: false },
      application_name: 'api',
      connectionTimeoutMillis: 5_000,
      statement_timeout: 250,
    });
  });

  it('takes a socket directory as the host, and leaves an absent user to PGUSER / the OS user', () => {
    const options = mikroOrmOptions('postgresql:///sokohub?host=/var/run/postgresql');
    expect(options).toMatchObject({ host: '/var/run/postgresql', user: '', dbName: 'sokohub' });
    // Empty: pg then looks in PGPASSWORD and ~/.pgpass, as libpq does.
    expect(options.password).toBeFalsy();
  });

  it('sets the timeout as PgBouncer lets it: a SET per connection in session mode, none in transaction', async () => {
    const url = 'postgresql://shop@pooler.example.com:6432/sokohub';
    const session = mikroOrmOptions(url, 4, 250, [], 'session').driverOptions as Record<string, unknown>;
    expect(session.statement_timeout).toBeUndefined();
    const sent: string[] = [];
    await (session.onConnect as (c: { query: (q: string) => Promise<void> }) => Promise<void>)({
      query: async (q) => void sent.push(q),
    });
    expect(sent).toEqual(['set statement_timeout = 250']);
    const transaction = mikroOrmOptions(url, 4, 250, [], 'transaction').driverOptions as Record<string, unknown>;
    expect(transaction.statement_timeout).toBeUndefined();
    expect(transaction.onConnect).toBeUndefined();
  });
});
