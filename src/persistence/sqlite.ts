import BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import type { Database, Params, Sql, Statement } from './database.js';
import { cachedReads } from './sqlite-read-cache.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { BACKSTOP_CHECKPOINT_PAGES, bind, startWriter, type WriterSettings } from './sqlite-writer.js';

type Prepared = BetterSqlite3.Statement<unknown[], unknown>;

/** Our queries on one connection, each statement prepared once. */
export function sqliteStatements(db: BetterSqlite3.Database): Sql {
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    engine: 'sqlite',
    all: async <T>(sql: string, params: Params = []) => prepare(sql).all(...bind(params)) as T[],
    get: async <T>(sql: string, params: Params = []) => prepare(sql).get(...bind(params)) as T | undefined,
    run: async (sql: string, params: Params = []) => ({ changes: prepare(sql).run(...bind(params)).changes }),
  };
}

/**
 * Two write connections, never writing at once: transactions that read as they go run on
 * TypeORM's connection, one at a time (a single SQLite connection cannot interleave them);
 * batches run on the writer thread's, several in flight, which it commits in order. A
 * transaction waits for the batches sent before it, and batches sent while transactions are
 * queued wait for them, so neither connection ever waits on SQLite's lock.
 * Reads use a read-only connection, which in WAL mode sees only committed data and never
 * waits for a writer; its answers are kept until the next commit (sqlite-read-cache.ts).
 */
export function openSqlite(dataSource: DataSource, settings: WriterSettings): Database {
  const connection = (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  const reader = new BetterSqlite3(settings.file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma(`cache_size = -${settings.cacheKib}`);
  const read = cachedReads(reader, sqliteStatements(reader));
  const write = sqliteStatements(connection);
  const writer = startWriter(settings);
  // TypeORM's connection commits on the event loop: a checkpoint there would stall every request.
  connection.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  const checkpointer = startCheckpointer(settings);
  let transactions: Promise<unknown> = Promise.resolve();
  let transactionsQueued = 0;
  let batchesPending = 0;
  const batchesInFlight = new Set<Promise<void>>();

  const sendBatch = (batch: Statement[]) => {
    // Whoever awaits the batch reads after read.written(), so it sees its own write.
    const sent = writer.batch(batch).finally(read.written);
    batchesInFlight.add(sent);
    const settled = () => void batchesInFlight.delete(sent);
    sent.then(settled, settled);
    return sent;
  };

  const { written: _written, ...reads } = read;
  return {
    ...reads,
    transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
      const run = async () => {
        await Promise.allSettled(batchesInFlight);
        connection.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(write);
          connection.exec('COMMIT');
          read.written();
          return result;
        } catch (error) {
          if (connection.inTransaction) connection.exec('ROLLBACK');
          throw error;
        }
      };
      transactionsQueued++;
      const result = transactions.then(run, run).finally(() => transactionsQueued--);
      transactions = result.catch(() => undefined);
      return result;
    },
    batch(batch: Statement[]): Promise<void> {
      batchesPending++;
      const done = transactionsQueued > 0 ? transactions.then(() => sendBatch(batch)) : sendBatch(batch);
      const settled = () => void batchesPending--;
      done.then(settled, settled);
      return done;
    },
    load: () => ({ engine: 'sqlite', batchesPending, transactionsPending: transactionsQueued }),
    async close() {
      await transactions;
      await Promise.allSettled(batchesInFlight);
      await writer.close();
      await checkpointer.close();
      reader.close();
      await dataSource.destroy();
    },
  };
}
