import type { Database, Params, Sql, Statement } from './database.js';

/** A Database confined to a transaction someone else opened, and will commit or roll back. */
export interface ScopedDatabase extends Database {
  /** From now on every statement is refused: the transaction is over (or about to be). */
  end(): void;
}

// One name is enough: savepoints here never overlap (see `inSavepoint`), and each is released or rolled back before the next.
const SAVEPOINT = 'use_case';

/**
 * The Database a use case sees when its work must commit with something else (an idempotent
 * request's stored answer): reads and writes go through the enclosing transaction, and the
 * use case's own transactions and batches become SAVEPOINTs in it. So a use case that throws
 * still undoes only its own writes, and one that catches a failed statement and tries again
 * (createOrganization's slug retry) can: on PostgreSQL a failed statement otherwise aborts
 * the whole transaction. Statements after `end()` are refused, so nothing can run outside
 * the transaction once it is over.
 */
export function scopedDatabase(tx: Sql): ScopedDatabase {
  let open = true;
  const guarded = <T>(run: () => Promise<T>): Promise<T> => (open ? run() : Promise.reject(new Error('This request\'s transaction is over: no statement may run in it any more.')));
  const sql: Sql = {
    engine: tx.engine,
    all: <T>(text: string, params?: Params) => guarded(() => tx.all<T>(text, params)),
    get: <T>(text: string, params?: Params) => guarded(() => tx.get<T>(text, params)),
    run: (text: string, params?: Params) => guarded(() => tx.run(text, params)),
  };

  async function inSavepoint<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    await sql.run(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const result = await work(sql);
      await sql.run(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return result;
    } catch (error) {
      // If even this fails the connection is gone, and the enclosing transaction fails with it.
      await sql.run(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`).then(() => sql.run(`RELEASE SAVEPOINT ${SAVEPOINT}`)).catch(() => undefined);
      throw error;
    }
  }

  // Use cases may run transactions side by side (Promise.all); on one connection they take turns.
  let turns: Promise<unknown> = Promise.resolve();
  function transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const result = turns.then(() => inSavepoint(work));
    turns = result.catch(() => undefined);
    return result;
  }

  return {
    ...sql,
    transaction,
    batch: (statements: Statement[]) =>
      transaction(async (s) => {
        for (const { sql: text, params } of statements) await s.run(text, params);
      }),
    close: () => Promise.reject(new Error('A scoped database belongs to its transaction; close the database it came from.')),
    end() {
      open = false;
    },
  };
}
