import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { WriterSettings } from './sqlite-writer.js';

/**
 * How often the checkpointer copies the WAL's new pages into the database file. Short enough
 * that the WAL stays a few megabytes under a full write load; each pass that finds nothing new
 * costs a few microseconds.
 */
export const CHECKPOINT_INTERVAL_MS = 100;

/**
 * The service's connections leave WAL checkpoints to this thread (their wal_autocheckpoint is
 * only a backstop, BACKSTOP_CHECKPOINT_PAGES, should this thread stop or fall far behind), as
 * SQLite's documentation suggests for writers that must not stall:
 * a checkpoint writes every page changed since the last one to the database file and syncs it,
 * several milliseconds under load, which the writer thread otherwise spends inside the commit
 * that crosses the threshold while every request behind it waits. PASSIVE never waits for a
 * reader or the writer and never blocks them; the pages it cannot copy yet, it copies next time.
 */
function checkpointerThread(): void {
  const { parentPort, workerData } = require('node:worker_threads');
  const BetterSqlite3 = require(workerData.driver);
  const db = new BetterSqlite3(workerData.file, { fileMustExist: true });
  // The checkpoint syncs the database file before the WAL may be reused, as synchronous says.
  db.pragma(`synchronous = ${workerData.synchronous}`);
  db.pragma('wal_autocheckpoint = 0');
  const checkpoint = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // SQLITE_BUSY (another checkpoint is running, from the CLI say): the next pass copies it.
    }
  };
  const timer = setInterval(checkpoint, workerData.intervalMs);
  parentPort.on('message', () => {
    clearInterval(timer);
    checkpoint();
    db.close();
    parentPort.postMessage('closed');
  });
}

export interface SqliteCheckpointer {
  /** A last checkpoint, then the thread stops. */
  close(): Promise<void>;
}

export function startCheckpointer(settings: Pick<WriterSettings, 'file' | 'synchronous'>, intervalMs = CHECKPOINT_INTERVAL_MS): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(`(${checkpointerThread.toString()})()`, { eval: true, workerData: { ...settings, driver, intervalMs } });
  // Its timer must not keep the process alive: the service stops it on close.
  worker.unref();
  let stopped = false;
  worker.on('exit', () => (stopped = true));
  worker.on('error', () => (stopped = true));
  return {
    async close() {
      if (!stopped) {
        worker.ref();
        await new Promise<void>((resolve) => {
          worker.once('message', () => resolve());
          worker.once('exit', () => resolve());
          worker.postMessage('close');
        });
      }
      await worker.terminate();
    },
  };
}
