// Server child processes: start, wait until they answer, measure, settle, stop.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Set();

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts `node [nodeArgs] script` with PORT and HOST=127.0.0.1, its output appended to
 * `logFile` (never piped to us, so we never slow it down), and waits until `readyPath` answers.
 */
export async function startServer({ name, script, nodeArgs = [], env, logFile, readyPath = '/health', timeoutMs = 30_000 }) {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', out, out] });
  closeSync(out);
  running.add(child);
  child.once('exit', () => running.delete(child));
  const server = { name, child, pid: child.pid, base: `http://127.0.0.1:${port}`, logFile };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`);
    try {
      const response = await fetch(server.base + readyPath, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status < 500) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer ${readyPath} within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopServer(server, graceMs = 5_000) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Kills every server still running: for exits and errors. */
export function killAll() {
  for (const child of running) child.kill('SIGKILL');
}

const PROC = existsSync('/proc/self/status');

/** Resident set size of a process, in MB. */
export function rssMb(pid) {
  try {
    if (PROC) return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
  } catch {
    return NaN;
  }
}

/** Samples RSS every 200 ms until stopped; returns the peak. */
export function sampleRss(pid) {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid) || 0)), 200);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMb(pid) || 0);
  };
}

/** CPU time the process has used, user and system, in clock ticks (1/100 s). */
export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Waits until the server is idle (under about 10% of a core for 300 ms), so work queued by the
 * last scenario does not leak into the next one. False when it is still busy after `timeoutMs`.
 */
export async function settle(server, timeoutMs = 20_000) {
  if (!PROC) return sleep(500).then(() => true);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const before = cpuTicks(server.pid);
    await sleep(300);
    if (cpuTicks(server.pid) - before <= 3) return true;
  }
  return false;
}
