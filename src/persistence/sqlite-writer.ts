import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Params, Statement } from './database.js';

type WriteRequest = { id: number; kind: 'batch'; statements: { sql: string; params: unknown[] }[] } | { id: number; kind: 'close' };
interface WriteReply {
  id: number;
  error?: { message: string; code?: string };
}

export interface WriterSettings {
  file: string;
  synchronous: 'FULL' | 'NORMAL' | 'EXTRA';
  cacheKib: number;
}

/**
 * The body of the writer thread, passed to it as source text (so it runs the same from
 * dist/ and under ts-jest): its own connection, statements prepared once, each batch one
 * transaction, one reply per request.
 */
function writerThread(): void {
  const { parentPort, workerData } = require('node:worker_threads');
  const BetterSqlite3 = require(workerData.driver);
  const db = new BetterSqlite3(workerData.file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${workerData.synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${workerData.cacheKib}`);
  const cache = new Map();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const runAll = db.transaction((statements: { sql: string; params: unknown[] }[]) => {
    for (const { sql, params } of statements) prepare(sql).run(...params);
  });
  parentPort.on('message', (request: WriteRequest) => {
    let reply: WriteReply = { id: request.id };
    try {
      if (request.kind === 'close') db.close();
      else runAll.immediate(request.statements);
    } catch (error) {
      const e = error as { message?: string; code?: string };
      reply = { id: request.id, error: { message: String(e.message), code: e.code } };
    }
    parentPort.postMessage(reply);
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
  const worker = new Worker(`(${writerThread.toString()})()`, { eval: true, workerData: { ...settings, driver } });
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
