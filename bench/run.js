#!/usr/bin/env node
// npm run bench: seeds fresh databases, starts the anchors and the service, measures them in
// alternating rounds, and writes the medians, ratios and target checks to docs/benchmarks.md.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measure } from './load.js';
import { readOptions } from './options.js';
import { ROOT } from './paths.js';
import { killAll, settle, stopServer } from './processes.js';
import { summarizeProfile } from './profile.js';
import { cliCheck, cliTable, measureCli } from './cli-time.js';
import { markdown, summarize, table, targetChecks, writeReport } from './report.js';
import { ANCHORS, SERVICE, partsNeeded, select } from './scenarios.js';
import { postgresQuiet } from './databases.js';
import { anchorConfig, engineVersions, prepareEngines, serviceConfig, serviceTargets, startSlot } from './setup.js';

const options = readOptions(process.argv);
const log = (line) => console.log(line);
const work = mkdtempSync(path.join(os.tmpdir(), 'linked-orgs-bench-'));
const cleanups = [];
let cleaning;

/** Kills every child, drops the PostgreSQL database, removes the temporary folder; once. */
function cleanup() {
  cleaning ??= (async () => {
    killAll();
    for (const step of cleanups.reverse()) await step().catch((error) => console.error(`cleanup: ${error.message}`));
    if (options.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

/** Anchors and service scenarios alternating: A1, S1, A2, S2, ... then whatever is left. */
function interleave(anchors, service) {
  const order = [];
  for (let i = 0; i < Math.max(anchors.length, service.length); i++) order.push(...[anchors[i], service[i]].filter(Boolean));
  return order;
}

const fmt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

/** Measures one row, then waits for its server (and its database) to go idle; one still busy after 20 s is restarted (noted). */
async function measureRow(target, seconds, notes) {
  const sample = await measure(target, { duration: seconds, connections: options.connections });
  const idle = (await settle(target.slot.server)) && ((await target.database?.wait()) ?? true);
  if (!idle) {
    notes.push(`${target.key}: its server was still busy 20 s after the scenario ended (requests queued behind slow ones), so it was restarted.`);
    await target.slot.restart();
  }
  return sample;
}

async function main() {
  const started = Date.now();
  const loadAtStart = os.loadavg()[0].toFixed(1);
  const { anchors, service } = select(options.scenarios, options.engines);
  const { prepared, seeding } = await prepareEngines({ engines: options.engines, parts: partsNeeded(service), pgUrl: options.pgUrl, work, keep: options.keep, onCleanup: (f) => cleanups.push(f), log });
  const versions = await engineVersions(prepared);

  const stops = (slot) => cleanups.push(() => stopServer(slot.server, 2_000));
  const anchorTargets = [];
  for (const anchor of anchors) {
    const slot = await startSlot(anchorConfig(anchor, prepared.sqlite.target, work, prepared.postgres?.url));
    stops(slot);
    anchorTargets.push({ key: anchor.id, id: anchor.id, label: anchor.label, engine: `${anchor.engine ?? 'sqlite'} (anchor)`, slot, method: anchor.method, status: anchor.status, path: anchor.path, headers: {} });
  }
  const serviceByEngine = {};
  for (const engine of options.engines) {
    const slot = await startSlot(serviceConfig(engine, prepared[engine].url, work));
    stops(slot);
    serviceByEngine[engine] = await serviceTargets(engine, service, SERVICE, slot, prepared[engine].callers);
    if (engine === 'postgres') {
      const database = postgresQuiet(prepared.postgres.url);
      cleanups.push(database.close);
      for (const target of serviceByEngine[engine]) target.database = database;
    }
  }
  // Scenario by scenario, each engine in turn, between the anchors.
  const serviceTargetsInOrder = service.flatMap((s) => options.engines.map((e) => serviceByEngine[e].find((t) => t.id === s.id)));
  const plan = interleave(anchorTargets, serviceTargetsInOrder);
  log(`setup done in ${((Date.now() - started) / 1000).toFixed(0)} s; order of every round: ${plan.map((t) => t.key).join(', ')}`);

  const notes = [];
  if (options.warmup > 0) {
    for (const target of plan) await measureRow(target, options.warmup, notes);
    log('warm-up done');
  }
  const samples = new Map(plan.map((t) => [t.key, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const target of plan) {
      const sample = await measureRow(target, options.duration, notes);
      samples.get(target.key).push(sample);
      log(`[${round}/${options.rounds}] ${target.key.padEnd(28)} ${fmt(sample.reqPerSec).padStart(7)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms  RSS ${fmt(sample.rss)} MB${sample.problems.length ? `  FAIL: ${sample.problems.join('; ')}` : ''}`);
    }
  }

  let cli;
  if (options.cliRuns > 0) {
    cli = await measureCli({ engines: options.engines, prepared, work, pgUrl: options.pgUrl, runs: options.cliRuns });
    for (const r of cli) log(`cli ${r.command.padEnd(32)} ${r.engine.padEnd(8)} median ${r.median.toFixed(2)} s  max ${r.max.toFixed(2)} s`);
  }

  let profile = '';
  if (options.profile) profile = await profileScenario(options.profile, plan, prepared);

  const rows = [...anchorTargets, ...serviceTargetsInOrder].map((t) => ({ key: t.key, id: t.id, label: t.label, items: t.items, engine: t.engine, samples: samples.get(t.key) }));
  const summary = summarize(rows);
  const checks = targetChecks(summary, options.engines);
  if (cli) checks.push(cliCheck(cli));
  if (options.rounds < 3) notes.push(`Only ${options.rounds} round(s): the issue asks for medians of at least 3.`);
  const cpus = os.cpus();
  const run = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: process.env.npm_lifecycle_event === 'bench' ? `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}` : `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim(),
    machine: `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}; load average (1 min) ${loadAtStart} at the start, ${os.loadavg()[0].toFixed(1)} at the end`,
    enginesText: `service on ${options.engines.map((e) => versions[e]).join(' and ')}; the anchors run on ${versions.sqlite}${options.engines.includes('postgres') ? ` (the bare pg insert on ${versions.postgres})` : ''}, measured in the same run${options.engines.includes('postgres') ? ': PostgreSQL rows are divided by the SQLite limit too' : ''}`,
    seeding: seeding.join('; '),
    duration: options.duration,
    connections: options.connections,
    rounds: options.rounds,
    warmup: options.warmup,
    cliRuns: options.cliRuns,
  };
  const out = path.resolve(ROOT, options.out);
  mkdirSync(path.dirname(out), { recursive: true });
  writeReport(out, markdown({ summary, checks, run, notes, profile, cli: cli && cliTable(cli) }));

  log(`\n${table(summary)}\n`);
  for (const c of checks) log(`${c.verdict.padEnd(7)} ${c.name}: ${c.detail}`);
  for (const n of notes) log(`note: ${n}`);
  if (profile) log(`\n${profile}`);
  log(`\nwritten to ${path.relative(process.cwd(), out)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const failed = summary.filter((r) => r.problems.length);
  if (failed.length) {
    console.error(`\n${failed.length} row(s) had unexpected statuses or errors: ${failed.map((r) => r.key).join(', ')}`);
    process.exitCode = 1;
  }
}

/** Runs one more service instance under --cpu-prof for one scenario (on the first engine that has it) and summarizes the profile. */
async function profileScenario(id, plan, prepared) {
  const target = plan.find((t) => t.id === id);
  if (!target) throw new Error(`--profile ${id}: that scenario was not run`);
  const dir = path.join(work, 'profile');
  let slot;
  if (ANCHORS.some((a) => a.id === id)) slot = await startSlot({ ...target.slot.config, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], logFile: path.join(work, `${id}-profiled.log`) });
  else slot = await startSlot(serviceConfig(target.engine, prepared[target.engine].url, work, ['--cpu-prof', `--cpu-prof-dir=${dir}`]));
  try {
    const sample = await measure({ ...target, slot }, { duration: options.duration, connections: options.connections });
    log(`profiled ${target.key}: ${fmt(sample.reqPerSec)} req/s under the profiler`);
  } finally {
    await stopServer(slot.server, 15_000);
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  return summarizeProfile(path.join(dir, file), `${target.label}, ${target.engine} (\`npm run bench -- --profile ${id}\`)`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
