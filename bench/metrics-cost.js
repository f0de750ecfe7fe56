#!/usr/bin/env node
// What /metrics costs: GET one organization on four instances of the service over the same
// seeded database, two with METRICS_TOKEN and two without, started in the order on, off, off,
// on (the first started measured slower in trials) and measured in turn, each round in the
// other order, so that whatever else loads the machine weighs on both sides. Reports req/s and the server's CPU time
// per request (less sensitive than req/s to other processes). After `npm run build`:
//   node bench/metrics-cost.js [--rounds 6] [--duration 5] [--connections 50] [--postgres]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { interleavedRounds } from './interleaved.js';
import { median } from './stats.js';
import { killAll } from './processes.js';
import { GET_ONE_ID } from './seed.js';
import { prepareEngines, serviceConfig, startSlot } from './setup.js';

const options = new Command('node bench/metrics-cost.js')
  .option('--rounds <n>', 'rounds per instance', Number, 6)
  .option('--duration <seconds>', 'seconds per round', Number, 5)
  .option('--connections <n>', 'concurrent connections', Number, 50)
  .option('--postgres', 'on a fresh PostgreSQL database instead of SQLite')
  .option('--pg-url <url>', 'PostgreSQL server for --postgres', 'postgres://postgres@127.0.0.1:5432/test')
  .parse(process.argv)
  .opts();

const engine = options.postgres ? 'postgres' : 'sqlite';
const work = mkdtempSync(path.join(os.tmpdir(), 'linked-orgs-metrics-cost-'));
const cleanups = [];

async function instance(name, url, metricsToken) {
  const config = serviceConfig(engine, url, work);
  config.name = `service, metrics ${name}`;
  config.logFile = path.join(work, `service-metrics-${name}.log`);
  config.env.METRICS_TOKEN = metricsToken;
  return { name, metricsToken, slot: await startSlot(config), rounds: [] };
}

try {
  const { prepared } = await prepareEngines({ engines: [engine], parts: new Set(['getOne']), pgUrl: options.pgUrl, work, keep: false, onCleanup: (step) => cleanups.push(step), log: () => undefined });
  const { url, callers } = prepared[engine];
  const instances = [];
  for (const name of ['on', 'off', 'off', 'on']) instances.push(await instance(name, url, name === 'on' ? randomBytes(32).toString('hex') : ''));
  const headers = { authorization: `Bearer ${callers.owner.token}` };
  const target = (subject) => ({ slot: subject.slot, path: `/api/organizations/${GET_ONE_ID}`, headers });
  await interleavedRounds(instances, target, options, (subject) => `metrics ${subject.name}`);
  const side = (name) => {
    const rounds = instances.filter((i) => i.name === name).flatMap((i) => i.rounds);
    return { reqPerSec: median(rounds.map((r) => r.reqPerSec)), cpuMicros: median(rounds.map((r) => r.cpuMicros)) };
  };
  const [on, off] = [side('on'), side('off')];
  console.log(`\n${engine}, medians of ${2 * options.rounds} measurements per side, ${options.connections} connections:`);
  console.log(`metrics on:  ${Math.round(on.reqPerSec)} req/s, ${Math.round(on.cpuMicros)} µs CPU per request`);
  console.log(`metrics off: ${Math.round(off.reqPerSec)} req/s, ${Math.round(off.cpuMicros)} µs CPU per request`);
  console.log(`on / off: ${(on.reqPerSec / off.reqPerSec).toFixed(3)} of the throughput, ${Math.round(on.cpuMicros - off.cpuMicros)} µs more CPU per request`);
  // The instance with metrics counted what it answered.
  const scrape = await fetch(`${instances[0].slot.server.base}/metrics`, { headers: { authorization: `Bearer ${instances[0].metricsToken}` } }).then((r) => r.text());
  console.log(scrape.split('\n').find((line) => line.startsWith('linked_orgs_http_requests_total{operation="GET /api/organizations/{id}",status="200"}')));
} finally {
  killAll();
  for (const step of cleanups.reverse()) await step().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
