#!/usr/bin/env node
// node bench/hostile-bodies.js [--repeat N] [--parallel N] [--from I] [--parallel-only]
//
// What a hostile body under BODY_LIMIT costs the service (issue 15, items 4 and 13): the
// service runs as `npm start` runs it (dist/, a fresh SQLite file, rate limits off), with
// bench/probe.js loaded so it reports its own CPU time and memory. Each body is sent N times
// in a row; the table gives the last answer, the median time, the server's CPU per request (all its threads),
// its resident size before and at the peak (sampled every 10 ms), and the heap it still held
// right after (no collection in between). Then `--parallel` copies of the 150,000-item body
// arrive at once while an honest GET is repeated, and the GET's slowest answer is reported.
// `--from I` starts at the I-th body (0-based); `--parallel-only` skips the table.
// Run `npm run build` first. Never part of `npm test`.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ROOT } from './paths.js';
import { freePort } from './processes.js';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const REPEAT = arg('repeat', 5);
const PARALLEL = arg('parallel', 20);

const list = (n, item) => `[${Array(n).fill(item).join(',')}]`;
const keys = (n, value) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${value}`).join(',')}}`;
const deep = (n) => '['.repeat(n) + ']'.repeat(n);

/** The bodies, as text: what a client can send under the default BODY_LIMIT of 1 MiB. */
const ONLY = process.argv.includes('--parallel-only');
const FROM = arg('from', 0);
const BODIES = [
  { id: 'small invalid body (reference)', method: 'POST', body: '{"name":""}' },
  { id: 'slug of 900,000 characters (reading 0.9 MB, for reference)', method: 'POST', body: `{"name":"Acme","slug":"${'a'.repeat(900_000)}"}` },
  { id: 'ip_allowlist of 997 one-letter strings', method: 'POST', body: `{"name":"Acme","ip_allowlist":${list(997, '"x"')}}` },
  { id: '900 unknown top-level properties', method: 'POST', body: `{"name":"Acme",${keys(900, '0').slice(1)}` },
  { id: '9,000 unknown top-level properties', method: 'POST', body: `{"name":"Acme",${keys(9_000, '0').slice(1)}` },
  { id: '201 violations: 100 bad networks, 100 bad domains, no name', method: 'POST', body: `{"ip_allowlist":${list(100, '"x"')},"auto_join_domains":${JSON.stringify(Array.from({ length: 100 }, (_, i) => `x${i}`))}}` },
  { id: 'ip_allowlist of 150,000 one-letter strings', method: 'POST', body: `{"name":"Acme","ip_allowlist":${list(150_000, '"x"')}}` },
  { id: 'ip_allowlist of 230,000 one-letter strings', method: 'POST', body: `{"name":"Acme","ip_allowlist":${list(230_000, '"x"')}}` },
  { id: 'ip_allowlist of 450,000 numbers', method: 'POST', body: `{"name":"Acme","ip_allowlist":${list(450_000, '1')}}` },
  { id: '80,000 unknown top-level properties', method: 'POST', body: `{"name":"Acme",${keys(80_000, '0').slice(1)}` },
  { id: 'merge patch removing 60,000 metadata keys', method: 'PATCH', body: `{"metadata":${keys(60_000, 'null')}}` },
  { id: 'metadata nested 150,000 levels, Idempotency-Key', method: 'POST', body: `{"name":"Acme","metadata":${deep(150_000)}}`, idempotent: true },
  { id: 'merge patch, metadata nested 150,000 levels', method: 'PATCH', body: `{"metadata":${deep(150_000)}}` },
];

function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

async function startService(work) {
  const databaseUrl = `sqlite:${path.join(work, 'bench.sqlite')}`;
  const env = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_ANON_PER_MINUTE: '0' };
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/linked-orgs.js'), 'partner', 'create', '--email', 'hostile@bench.example', '--name', 'Hostile'], { env });
  const { token } = JSON.parse(stdout);
  const port = await freePort();
  const log = openSync(path.join(work, 'service.log'), 'a');
  const probe = pathToFileURL(path.join(ROOT, 'bench/probe.js')).href;
  const child = spawn(process.execPath, ['--expose-gc', '--import', probe, path.join(ROOT, 'dist/src/main.js')], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', log, log, 'ipc'] });
  closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 300; tries++) {
    const up = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (up) break;
    await sleep(100);
  }
  let probes = 0;
  const read = (gc = false) =>
    new Promise((resolve) => {
      const id = ++probes;
      const onMessage = (message) => {
        if (message.probe !== id) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ probe: id, gc });
    });
  return { child, base, token, read };
}

async function send(service, { method, body, idempotent }, target) {
  const headers = { authorization: `Bearer ${service.token}`, 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' };
  if (idempotent) headers['idempotency-key'] = `bench-${Math.random()}`;
  const started = performance.now();
  const response = await fetch(service.base + target, { method, headers, body, signal: AbortSignal.timeout(120_000) });
  const text = await response.text();
  let type = '';
  try {
    type = JSON.parse(text).type?.split('/').pop() ?? '';
  } catch {}
  return { status: response.status, type, bytes: Buffer.byteLength(text), ms: performance.now() - started };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (a, b) => (b.cpu.user + b.cpu.system - a.cpu.user - a.cpu.system) / 1000;
const mb = (bytes) => bytes / 1024 / 1024;
const fmt = (n, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function measureBody(service, entry, organizationPath) {
  const target = entry.method === 'PATCH' ? organizationPath : '/api/organizations';
  await send(service, entry, target).catch(() => undefined); // warm: the first request of a kind compiles code paths
  const before = await service.read(true);
  const rssBefore = rssMb(service.child.pid);
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(service.child.pid))), 10);
  const answers = [];
  for (let i = 0; i < REPEAT; i++) answers.push(await send(service, entry, target).catch((error) => ({ status: `failed (${error.cause?.code ?? error.message})`, type: '', bytes: 0, ms: NaN })));
  clearInterval(sampler);
  if (service.child.exitCode !== null || service.child.signalCode !== null) return { body: entry.id, size: '', answer: answers.at(-1).status, exited: true };
  const after = await service.read();
  peak = Math.max(peak, rssMb(service.child.pid));
  const last = answers.at(-1);
  return {
    body: entry.id,
    size: `${fmt(Buffer.byteLength(entry.body) / 1024, 0)} KiB`,
    answer: `${last.status} ${last.type}`,
    answerSize: `${fmt(last.bytes / 1024)} KiB`,
    cpu: `${fmt(cpuMs(before, after) / REPEAT)} ms`,
    wall: `${fmt(median(answers.map((a) => a.ms)))} ms`,
    rss: `${fmt(rssBefore, 0)} → ${fmt(peak, 0)} MB`,
    heap: `+${fmt(mb(after.memory.heapUsed - before.memory.heapUsed))} MB`,
  };
}

/** PARALLEL amplification bodies at once, and an honest GET repeated until they are all answered. */
async function measureParallel(service, organizationPath) {
  const entry = BODIES.find((b) => b.id.startsWith('ip_allowlist of 150,000'));
  await service.read(true);
  const rssBefore = rssMb(service.child.pid);
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(service.child.pid))), 10);
  const started = performance.now();
  let done = false;
  const attempt = () => send(service, entry, '/api/organizations').catch((error) => ({ status: `failed (${error.cause?.code ?? error.message})`, type: '' }));
  const attacks = Promise.all(Array.from({ length: PARALLEL }, attempt)).finally(() => (done = true));
  const gets = [];
  while (!done && service.child.exitCode === null) {
    const t = performance.now();
    const response = await fetch(service.base + organizationPath, { headers: { authorization: `Bearer ${service.token}` } }).catch(() => undefined);
    await response?.arrayBuffer();
    if (response) gets.push(performance.now() - t);
    await sleep(20);
  }
  const answers = await attacks;
  clearInterval(sampler);
  return {
    wall: performance.now() - started,
    statuses: [...new Set(answers.map((a) => `${a.status} ${a.type}`))].join(', '),
    getMax: Math.max(...gets),
    getMedian: median(gets),
    gets: gets.length,
    rss: `${fmt(rssBefore, 0)} → ${fmt(peak, 0)} MB`,
  };
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'linked-orgs-hostile-'));
  const service = await startService(work);
  try {
    const created = await fetch(`${service.base}/api/organizations`, { method: 'POST', headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' }, body: '{"name":"Honest Org"}' });
    const organizationPath = (await created.json())['@id'];
    console.log(`Node ${process.version}, ${os.cpus().length} cores (load ${os.loadavg()[0].toFixed(1)}), ${REPEAT} requests per body\n`);
    console.log('| Body | Size | Answer | Answer size | Server CPU per request | Median time | Server RSS (before → peak) | Heap held after |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const entry of ONLY ? [] : BODIES.slice(FROM)) {
      const { exited, ...row } = await measureBody(service, entry, organizationPath);
      console.log(`| ${Object.values(row).join(' | ')} |`);
      if (exited) throw new Error(`The service exited (${service.child.exitCode ?? service.child.signalCode}) on this body; its log ends:\n${readFileSync(path.join(work, 'service.log'), 'utf8').split('\n').slice(-8).join('\n')}`);
    }
    const p = await measureParallel(service, organizationPath);
    const exited = service.child.exitCode ?? service.child.signalCode;
    if (exited !== null) console.log(`\nThe service exited (${exited}) during the parallel bodies; its log ends:\n${readFileSync(path.join(work, 'service.log'), 'utf8').split('\n').slice(-8).join('\n')}`);
    console.log(`\n${PARALLEL} × "ip_allowlist of 150,000 one-letter strings" at once: all answered in ${fmt(p.wall / 1000, 2)} s (${p.statuses}); server RSS ${p.rss}; an honest GET, repeated ${p.gets} times meanwhile: median ${fmt(p.getMedian)} ms, slowest ${fmt(p.getMax)} ms.`);
  } finally {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service.child.once('exit', resolve));
    }
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
