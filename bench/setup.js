// Everything before the first measurement: databases, seeds, servers, and the targets.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createCallers, createPostgresDatabase } from './databases.js';
import { ROOT } from './paths.js';
import { startServer, stopServer } from './processes.js';
import { seed } from './seed.js';

const fmtSeconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** A fresh database per engine, its callers made by the CLI, and its seed. SQLite always: the anchors read it. */
export async function prepareEngines({ engines, parts, pgUrl, work, keep, onCleanup, log }) {
  const prepared = {};
  const seeding = [];
  for (const engine of ['sqlite', ...engines.filter((e) => e !== 'sqlite')]) {
    const started = Date.now();
    let url;
    let target;
    if (engine === 'sqlite') {
      target = path.join(work, 'bench.sqlite');
      url = `sqlite:${target}`;
    } else {
      const database = await createPostgresDatabase(pgUrl);
      if (keep) log(`postgres: keeping ${database.url} (drop it yourself)`);
      else onCleanup(database.drop);
      url = target = database.url;
      log(`postgres: created database ${database.name}`);
    }
    const callers = await createCallers(url);
    const own = engines.includes(engine) ? parts : new Set(['getOne']);
    await seed(engine, target, callers, own, (line) => log(line));
    seeding.push(`${engine}: ${[...own].join(', ')} in ${fmtSeconds(Date.now() - started)} (database, CLI partners, seed${engine === 'postgres' ? ', VACUUM ANALYZE' : ''})`);
    log(`${engine}: ready in ${fmtSeconds(Date.now() - started)}`);
    prepared[engine] = { engine, url, target, callers };
  }
  return { prepared, seeding };
}

export async function engineVersions(prepared) {
  const memory = new BetterSqlite3(':memory:');
  const versions = { sqlite: `SQLite ${memory.prepare('SELECT sqlite_version() AS v').get().v} (better-sqlite3)` };
  memory.close();
  if (prepared.postgres) {
    const client = new pg.Client({ connectionString: prepared.postgres.url });
    await client.connect();
    versions.postgres = `PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version}`;
    await client.end();
  }
  return versions;
}

/** A server that can be restarted in place: targets hold the slot, not the process. */
export async function startSlot(config) {
  const slot = { config, server: await startServer(config) };
  slot.restart = async () => {
    await stopServer(slot.server, 2_000);
    slot.server = await startServer(config);
  };
  return slot;
}

export function anchorConfig(anchor, sqliteFile, work, pgUrl) {
  const env = { ...process.env, BENCH_SQLITE_FILE: sqliteFile, ...(anchor.engine === 'postgres' ? { BENCH_PG_URL: pgUrl } : {}) };
  return { name: anchor.id, script: path.join(ROOT, 'bench/anchors', anchor.script), env, logFile: path.join(work, `${anchor.id}.log`) };
}

/**
 * The service as in production: info logs to a file, rate limiting on with a very high limit, SQLite synchronous at its default,
 * metrics on (a METRICS_TOKEN of its own; `METRICS_TOKEN= npm run bench` measures without them).
 */
export function serviceConfig(engine, url, work, nodeArgs = []) {
  const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000000' };
  env.METRICS_TOKEN ??= randomBytes(32).toString('hex');
  delete env.SQLITE_SYNCHRONOUS;
  return { name: `service (${engine})`, script: path.join(ROOT, 'dist/src/main.js'), nodeArgs, env, logFile: path.join(work, `service-${engine}${nodeArgs.length ? '-profiled' : ''}.log`) };
}

async function getJson(base, urlPath, token) {
  const response = await fetch(base + urlPath, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(120_000) });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${urlPath} answered ${response.status}: ${body.slice(0, 300)}`);
  return JSON.parse(body);
}

/**
 * The service scenarios of one engine as targets: the caller's token, and the path, a last
 * page being the first page's hydra:last. First pages must report the seeded total.
 */
export async function serviceTargets(engine, scenarios, all, slot, callers) {
  const token = (caller) => callers[caller].token;
  const firstPages = new Map();
  const firstPage = async (scenario) => {
    if (!firstPages.has(scenario.id)) {
      const page = await getJson(slot.server.base, scenario.path, token(scenario.caller));
      const total = page['hydra:totalItems'] ?? page.totalItems;
      if (total !== undefined && total !== scenario.total) throw new Error(`${engine} ${scenario.id}: hydra:totalItems is ${total}, the seed made ${scenario.total}: the seed and the service's kept counts disagree.`);
      firstPages.set(scenario.id, page);
    }
    return firstPages.get(scenario.id);
  };
  const targets = [];
  for (const s of scenarios) {
    let urlPath = s.path;
    if (s.total) await firstPage(s);
    if (s.lastOf) {
      const page = await firstPage(all.find((f) => f.id === s.lastOf));
      urlPath = (page['hydra:view'] ?? page.view)?.['hydra:last'];
      if (!urlPath) throw new Error(`${engine} ${s.id}: the first page has no hydra:view / hydra:last to follow.`);
    }
    // Pages are compared by req/s: say how many items each holds (a last page is often short).
    const page = s.total ? await firstPage(s) : s.lastOf ? await getJson(slot.server.base, urlPath, token(s.caller)) : undefined;
    const items = page && (page['hydra:member'] ?? page.member)?.length;
    const label = items === undefined ? s.label : `${s.label}, ${items} items`;
    targets.push({ key: `${engine}:${s.id}`, id: s.id, label, items, engine, slot, method: s.method, status: s.status, path: urlPath, headers: { authorization: `Bearer ${token(s.caller)}` } });
  }
  return targets;
}
