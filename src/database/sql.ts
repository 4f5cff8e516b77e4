import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { preparedRows } from './prepared.js';

/** Hot reads outside a transaction as prepared statements (see prepared.ts), on MikroORM's pool. */
@Injectable()
export class Sql {
  constructor(private readonly em: EntityManager) {}

  rows<R>(text: string, values: readonly unknown[]): Promise<R[]> {
    return preparedRows<R>(this.em, text, values);
  }

  async one<R>(text: string, values: readonly unknown[]): Promise<R | undefined> {
    return (await this.rows<R>(text, values))[0];
  }
}
