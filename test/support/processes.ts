import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/project-root.js';

const run = promisify(execFile);

export interface CliRun {
  /** Working directory; the test runner's when not given. */
  cwd?: string;
  /** The project whose bin/linked-orgs.js runs (a copy, see project-copy.ts); this one when not given. */
  root?: string;
  /** Added to the environment; '' clears a variable (DATABASE_URL: '' means the default database). */
  env?: Record<string, string>;
  /** Extra node options, before the script. */
  nodeArgs?: string[];
}

/** Runs the shipped CLI (bin/linked-orgs.js) as a user would. */
export async function runCli({ cwd, root = PROJECT_ROOT, env = {}, nodeArgs = [] }: CliRun, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeArgs, path.join(root, 'bin/linked-orgs.js'), ...args], {
      cwd,
      env: { ...process.env, ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the shipped CLI against DATABASE_URL. */
export function cli(databaseUrl: string, ...args: string[]) {
  return runCli({ env: { DATABASE_URL: databaseUrl } }, ...args);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node dist/src/main.js` (what `npm start` runs) and waits until it answers. */
export async function startServerProcess(env: Record<string, string>, cwd = PROJECT_ROOT, root = PROJECT_ROOT): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    cwd,
    // No drain unless a test asks for one: nothing balances load in front of a test's server.
    env: { ...process.env, LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '0', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    if (output.includes('listening')) return { child, base, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start in 10 s: ${output}`);
}

export async function stop(child: ChildProcess): Promise<number | null> {
  // A child killed by a signal has no exit code but a signal code; either way it has exited and no 'exit' will come.
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

/** Runs `node dist/src/main.js` with exactly this PORT and HOST until it exits (or `timeoutMs`, then SIGKILL). */
export function runServerToExit(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js')], {
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
