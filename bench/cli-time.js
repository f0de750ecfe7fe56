// The CLI's wall time (issue 17: "a command in under 0.5 s wall on this machine"), measured in
// the same run as the rows: each command spawned as an operator runs it, `node bin/linked-orgs.js …`.
import { median } from './stats.js';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPostgresDatabase } from './databases.js';
import { ROOT } from './paths.js';

const run = promisify(execFile);
export const CLI_LIMIT_SECONDS = 0.5;

/** Seconds from spawn to exit of one command, which must succeed. */
async function wallTime(databaseUrl, args) {
  const started = process.hrtime.bigint();
  await run(process.execPath, [path.join(ROOT, 'bin/linked-orgs.js'), ...args], { env: { ...process.env, DATABASE_URL: databaseUrl ?? '' }, timeout: 60_000 });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** A database nobody has opened yet, for the command that must migrate it first; removed after. */
async function newDatabase(engine, work, pgUrl, i) {
  if (engine === 'sqlite') return { url: `sqlite:${path.join(work, `cli-new-${i}.sqlite`)}`, drop: async () => undefined };
  return createPostgresDatabase(pgUrl);
}

/**
 * `runs` times each: `--help`; `partner create` on a new database (it migrates, the slowest
 * case); `token create` for a seeded partner on the benchmark's database (1,010,000 organizations).
 */
export async function measureCli({ engines, prepared, work, pgUrl, runs }) {
  const rows = [{ engine: '–', command: '--help', database: 'none', seconds: [] }];
  for (let i = 0; i < runs; i++) rows[0].seconds.push(await wallTime(undefined, ['--help']));
  for (const engine of engines) {
    const fresh = { engine, command: 'partner create', database: 'new (migrated first)', seconds: [] };
    const current = { engine, command: 'token create', database: 'the seeded one', seconds: [] };
    for (let i = 0; i < runs; i++) {
      const database = await newDatabase(engine, work, pgUrl, i);
      try {
        fresh.seconds.push(await wallTime(database.url, ['partner', 'create', '--email', `cli${i}@bench.example`, '--name', 'CLI']));
      } finally {
        await database.drop();
      }
      current.seconds.push(await wallTime(prepared[engine].url, ['token', 'create', '--email', 'owner@bench.example', '--expires-in', '1']));
    }
    rows.push(fresh, current);
  }
  return rows.map((row) => ({ ...row, median: median(row.seconds), max: Math.max(...row.seconds) }));
}


export function cliTable(rows) {
  const s = (n) => n.toFixed(2);
  return ['| Command | Engine | Database | median s | max s | every run, s |', '|---|---|---|--:|--:|---|', ...rows.map((r) => `| \`linked-orgs ${r.command}\` | ${r.engine} | ${r.database} | ${s(r.median)} | ${s(r.max)} | ${r.seconds.map(s).join(' / ')} |`)].join('\n');
}

/** The target: every command's median under the limit. */
export function cliCheck(rows) {
  const worst = rows.reduce((a, b) => (b.median > a.median ? b : a));
  return { name: `CLI: a command in under ${CLI_LIMIT_SECONDS} s wall`, verdict: worst.median < CLI_LIMIT_SECONDS ? 'PASS' : 'FAIL', detail: `slowest median ${worst.median.toFixed(2)} s (${worst.command}, ${worst.engine === '–' ? 'no database' : `${worst.engine}, ${worst.database} database`})` };
}
