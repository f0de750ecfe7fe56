// Fresh databases for one run, and the partners the scenarios call as.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ROOT } from './paths.js';

const run = promisify(execFile);

/** Runs the shipped CLI as an operator would; prints one JSON line. */
async function cli(databaseUrl, ...args) {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/linked-orgs.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

/** The partners the scenarios call as, with real tokens; the first call also creates and migrates the database. */
export async function createCallers(databaseUrl) {
  const callers = {};
  for (const name of ['owner', 'poster', 'lister10k', 'lister1m']) {
    callers[name] = await cli(databaseUrl, 'partner', 'create', '--email', `${name}@bench.example`, '--name', `Bench ${name}`);
  }
  return callers;
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server of `serverUrl`; `drop()` removes it, connections and all. */
export async function createPostgresDatabase(serverUrl) {
  const name = `linked_orgs_bench_${process.pid}_${Date.now()}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/**
 * Waits until no other connection runs a statement in the database (at most `timeoutMs`):
 * the service's process can be idle while PostgreSQL still works through queued queries.
 */
export function postgresQuiet(url) {
  const client = new pg.Client({ connectionString: url });
  const connected = client.connect();
  return {
    async wait(timeoutMs = 20_000) {
      await connected;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()");
        if (rows[0].n === 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return false;
    },
    close: () => connected.then(() => client.end()),
  };
}
