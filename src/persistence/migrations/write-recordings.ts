import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { recordMigrations, writeRecording } from './recording.js';

/**
 * `npm run record-migrations`: records the migrations on a new SQLite file and on a new database
 * of the PostgreSQL server DATABASE_URL names (postgres://…; without it, SQLite only), and
 * writes src/persistence/migrations/recorded/. Both scratch databases are removed after.
 */
async function onNewPostgresDatabase<T>(serverUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `linked_orgs_record_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const folder = mkdtempSync(path.join(tmpdir(), 'linked-orgs-record-'));
try {
  console.log(`wrote ${writeRecording(await recordMigrations({ engine: 'sqlite', file: path.join(folder, 'empty.sqlite') }))}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
const serverUrl = process.env.DATABASE_URL;
if (serverUrl && /^postgres(ql)?:\/\//.test(serverUrl)) {
  console.log(`wrote ${await onNewPostgresDatabase(serverUrl, async (url) => writeRecording(await recordMigrations({ engine: 'postgres', url })))}`);
} else {
  console.log('PostgreSQL not recorded: set DATABASE_URL=postgres://… to a server where a database may be created');
}
