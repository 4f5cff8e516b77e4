import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Hot reads as prepared statements, on MikroORM's own pool (one pool, one statement timeout). MikroORM inlines
 * parameters, so PostgreSQL parses and plans every execution; a named statement is parsed once per connection and
 * its parameters travel apart from its text. For statements whose text is one of a small fixed set (no IN lists of
 * varying length): each distinct text is prepared on each pooled connection.
 *
 * Placeholders are written `?` as everywhere else and numbered here.
 */
@Injectable()
export class Sql {
  private pool?: pg.Pool;
  private readonly prepared = new Map<string, { name: string; text: string }>();

  constructor(private readonly orm: MikroORM) {}

  async rows<R>(text: string, values: unknown[]): Promise<R[]> {
    const pool = (this.pool ??= await this.orm.em.getConnection().getNativeClient());
    const { rows } = await pool.query<R & pg.QueryResultRow>({ ...this.statement(text), values });
    return rows;
  }

  async one<R>(text: string, values: unknown[]): Promise<R | undefined> {
    return (await this.rows<R>(text, values))[0];
  }

  private statement(text: string): { name: string; text: string } {
    let s = this.prepared.get(text);
    if (!s) {
      let n = 0;
      const numbered = text.replace(/\?/g, () => `$${++n}`);
      s = { name: `s_${createHash('sha1').update(numbered).digest('hex').slice(0, 16)}`, text: numbered };
      this.prepared.set(text, s);
    }
    return s;
  }
}
