import { randomBytes } from 'node:crypto';
import { ensureServerDatabase } from '../../src/database/server-database.js';
import { ADMIN_URL_ENV, adminQuery, createTestDatabase, withDatabase } from '../support/test-database.js';

const admin = (text: string) => adminQuery<{ n: number }>(process.env[ADMIN_URL_ENV]!, text);
const exists = async (name: string) =>
  (await admin(`select count(*)::int as n from pg_database where datname = '${name}'`))[0].n === 1;

/**
 * A DATABASE_URL naming a database that is not there: created and said so when the role may, refused in words that
 * name the database when it may not (MikroORM's own attempt said only "permission denied to create database").
 */
describe('DATABASE_URL naming a database that does not exist (e2e)', () => {
  const suffix = randomBytes(4).toString('hex');
  const role = `sokohub_plain_${suffix}`;
  const missing = `sokohub_missing_${suffix}`;
  let existing: { url: string; drop: () => Promise<void> };
  let lines: string[];
  const log = (line: string) => lines.push(line);

  beforeAll(async () => {
    existing = await createTestDatabase();
    await admin(`create role ${role} login password 'plain-pw'`);
  });
  beforeEach(() => {
    lines = [];
  });
  afterAll(async () => {
    await admin(`drop database if exists ${missing}`);
    await admin(`drop role if exists ${role}`);
    await existing.drop();
  });

  /** The admin URL with another role (and its password) and database. */
  const as = (user: string | undefined, database: string) => {
    const url = new URL(withDatabase(process.env[ADMIN_URL_ENV]!, database));
    if (user) Object.assign(url, { username: user, password: 'plain-pw' });
    return url.toString();
  };

  it('refuses a role that may not create it, naming the database and the role', async () => {
    await expect(ensureServerDatabase(as(role, missing), log)).rejects.toThrow(
      new RegExp(`database "${missing}" does not exist on .+, and role "${role}" may not create it`),
    );
    expect(await exists(missing)).toBe(false);
    expect(lines).toEqual([]);
  });

  it('creates it for a role that may, and says so once', async () => {
    await ensureServerDatabase(as(undefined, missing), log);
    expect(await exists(missing)).toBe(true);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`database "${missing}" did not exist on .+: created it`))]);
    await ensureServerDatabase(as(undefined, missing), log);
    expect(lines).toHaveLength(1);
  });

  it('leaves an existing database alone, and other connection problems to the start that follows', async () => {
    await ensureServerDatabase(existing.url, log);
    await ensureServerDatabase(as(role, 'postgres').replace('plain-pw', 'wrong-pw'), log);
    expect(lines).toEqual([]);
  });
});
