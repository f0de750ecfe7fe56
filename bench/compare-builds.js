#!/usr/bin/env node
// Two builds of the service side by side: GET one organization on an instance of each (this
// checkout's dist/ and another checkout's, both built), over the same seeded database, measured
// in turn, each round in the other order, so that whatever else loads the machine weighs on both.
// Reports the server's CPU time per request, which on a shared machine moves much less than
// req/s does; what a change to the request path saves shows here before a full run can see it.
//   npm run build; (cd ../other && npm run build)
//   node bench/compare-builds.js ../other [--rounds 10] [--duration 5] [--connections 50] [--postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { interleavedRounds } from './interleaved.js';
import { median } from './stats.js';
import { ROOT } from './paths.js';
import { killAll } from './processes.js';
import { GET_ONE_ID } from './seed.js';
import { prepareEngines, serviceConfig, startSlot } from './setup.js';

const command = new Command('node bench/compare-builds.js')
  .argument('<checkout>', 'the other checkout, built (its dist/src/main.js)')
  .option('--rounds <n>', 'rounds per build', Number, 10)
  .option('--duration <seconds>', 'seconds per round', Number, 5)
  .option('--connections <n>', 'concurrent connections', Number, 50)
  .option('--postgres', 'on a fresh PostgreSQL database instead of SQLite')
  .option('--pg-url <url>', 'PostgreSQL server for --postgres', 'postgres://postgres@127.0.0.1:5432/test')
  .parse(process.argv);
const options = command.opts();
const other = path.resolve(command.args[0]);

const engine = options.postgres ? 'postgres' : 'sqlite';
const work = mkdtempSync(path.join(os.tmpdir(), 'linked-orgs-compare-builds-'));
const cleanups = [];

async function instance(name, checkout, url) {
  const config = serviceConfig(engine, url, work);
  config.name = `service (${name})`;
  config.script = path.join(checkout, 'dist/src/main.js');
  config.logFile = path.join(work, `service-${name}.log`);
  return { name, checkout, slot: await startSlot(config), rounds: [] };
}

try {
  // The database is migrated by this checkout's CLI: the other build must read the same schema.
  const { prepared } = await prepareEngines({ engines: [engine], parts: new Set(['getOne']), pgUrl: options.pgUrl, work, keep: false, onCleanup: (step) => cleanups.push(step), log: () => undefined });
  const { url, callers } = prepared[engine];
  const instances = [await instance('this', ROOT, url), await instance('other', other, url)];
  const target = (subject) => ({ slot: subject.slot, path: `/api/organizations/${GET_ONE_ID}`, headers: { authorization: `Bearer ${callers.owner.token}` } });
  await interleavedRounds(instances, target, options);
  console.log(`\n${engine}, GET one organization, medians of ${options.rounds} rounds per build, ${options.connections} connections:`);
  for (const subject of instances) {
    console.log(`${subject.name} (${subject.checkout}): ${Math.round(median(subject.rounds.map((r) => r.reqPerSec)))} req/s, ${Math.round(median(subject.rounds.map((r) => r.cpuMicros)))} µs CPU per request`);
  }
} finally {
  killAll();
  for (const step of cleanups.reverse()) await step().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
