import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Params, Statement } from './database.js';

type WriteRequest = { id: number; kind: 'batch'; statements: { sql: string; params: unknown[] }[] } | { id: number; kind: 'close' };
interface WriteReply {
  id: number;
  error?: { message: string; code?: string };
}

/**
 * The WAL size (in pages, 40 MB) at which a connection that commits checkpoints by itself: only
 * if the checkpointer thread has fallen that far behind or stopped, so the WAL stays bounded.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000;

export interface WriterSettings {
  file: string;
  synchronous: 'FULL' | 'NORMAL' | 'EXTRA';
  cacheKib: number;
}

/**
 * The body of the writer thread, passed to it as source text (so it runs the same from
 * dist/ and under ts-jest): its own connection, statements prepared once, each batch atomic,
 * one reply per request, sent once its writes are durable.
 *
 * Group commit: the batches that arrived while the last commit was being made (its fsync, with
 * synchronous=FULL) are taken together and made in one transaction, each batch inside a
 * savepoint of its own, so that one batch's failure (a unique key taken, say) undoes only its
 * own writes and answers only its own request; every other batch is answered once the one
 * COMMIT has returned. The outcome is the same as one transaction per batch in arrival order,
 * each seeing the one before, but the pages they share (the indexes' leaves, the tallies, the
 * event sequence) are written to the WAL, and synced, once per group instead of once per batch.
 */
function writerThread(): void {
  const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
  const BetterSqlite3 = require(workerData.driver);
  const db = new BetterSqlite3(workerData.file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${workerData.synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${workerData.cacheKib}`);
  // Checkpoints are the checkpointer thread's (sqlite-checkpointer.ts); this is only a backstop.
  db.pragma(`wal_autocheckpoint = ${workerData.backstopPages}`);
  const cache = new Map();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const failure = (error: unknown): WriteReply['error'] => {
    const e = error as { message?: string; code?: string };
    return { message: String(e.message), code: e.code };
  };

  /** One transaction for the group; the replies, sent after its COMMIT (or its failure). */
  const commitGroup = (batches: Extract<WriteRequest, { kind: 'batch' }>[]): WriteReply[] => {
    const replies: WriteReply[] = [];
    let made: WriteReply[] = [];
    try {
      db.exec('BEGIN IMMEDIATE');
      for (const { id, statements } of batches) {
        db.exec('SAVEPOINT batch');
        try {
          for (const { sql, params } of statements) prepare(sql).run(...params);
          db.exec('RELEASE batch');
          made.push({ id });
        } catch (error) {
          const reply = { id, error: failure(error) };
          if (db.inTransaction) {
            db.exec('ROLLBACK TO batch');
            db.exec('RELEASE batch');
          } else {
            // SQLite rolled the whole transaction back (a full disk, an I/O error): the batches
            // made before it in this group are undone too, and are answered so.
            for (const undone of made) replies.push({ id: undone.id, error: reply.error });
            made = [];
            db.exec('BEGIN IMMEDIATE');
          }
          replies.push(reply);
        }
      }
      db.exec('COMMIT');
      replies.push(...made);
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      const answered = new Set(replies.map((r) => r.id));
      for (const { id } of batches) if (!answered.has(id)) replies.push({ id, error: failure(error) });
    }
    return replies;
  };

  /** At most this many batches in one transaction: enough to share a sync among every request in flight. */
  const GROUP_LIMIT = 256;
  parentPort.on('message', (first: WriteRequest) => {
    const requests = [first];
    for (let next; requests.length < GROUP_LIMIT && (next = receiveMessageOnPort(parentPort)); ) requests.push(next.message);
    const closing = requests.findIndex((r) => r.kind === 'close');
    const batches = (closing < 0 ? requests : requests.slice(0, closing)) as Extract<WriteRequest, { kind: 'batch' }>[];
    if (batches.length) for (const reply of commitGroup(batches)) parentPort.postMessage(reply);
    if (closing >= 0) {
      let reply: WriteReply = { id: requests[closing].id };
      try {
        db.close();
      } catch (error) {
        reply = { ...reply, error: failure(error) };
      }
      parentPort.postMessage(reply);
      // Nothing should follow a close; if something did, it is answered, not left waiting.
      for (const late of requests.slice(closing + 1)) parentPort.postMessage({ id: late.id, error: { message: 'the SQLite writer is closed' } });
    }
  });
}

// better-sqlite3 refuses JavaScript booleans: SQLite stores them as 0/1.
export function bind(params: Params): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

export interface SqliteWriter {
  /** Runs the statements in one transaction (BEGIN IMMEDIATE … COMMIT) on the writer thread. */
  batch(statements: Statement[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A write connection on its own thread: a commit's fsync (synchronous=FULL) blocks that
 * thread only, while the event loop goes on parsing and answering other requests.
 */
export function startWriter(settings: WriterSettings): SqliteWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(`(${writerThread.toString()})()`, { eval: true, workerData: { ...settings, driver, backstopPages: BACKSTOP_CHECKPOINT_PAGES } });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  // Referenced only while a request waits, so an idle writer never keeps the process alive.
  worker.unref();

  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the SQLite writer thread has stopped')));
  worker.on('message', ({ id, error }: WriteReply) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (error) waiting?.reject(Object.assign(new Error(error.message), { code: error.code }));
    else waiting?.resolve();
  });

  const send = (request: WriteRequest): Promise<void> => {
    if (failure) return Promise.reject(failure);
    if (pending.size === 0) worker.ref();
    const reply = new Promise<void>((resolve, reject) => pending.set(request.id, { resolve, reject }));
    worker.postMessage(request);
    return reply;
  };

  return {
    batch: (statements) => send({ id: nextId++, kind: 'batch', statements: statements.map(({ sql, params = [] }) => ({ sql, params: bind(params) })) }),
    async close() {
      if (!failure) await send({ id: nextId++, kind: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
