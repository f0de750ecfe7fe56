/**
 * The README's five steps, as a newcomer runs them: every shell block between the
 * first-screen markers, as written, in a fresh copy of the project (its own node_modules
 * of hard links, its own data folder, a port of its own through PORT). `npm start` runs in
 * the background, as the README's second terminal; the other blocks run in one bash
 * session, so TOKEN and BASE carry over as they would in that terminal.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { PROJECT_ROOT } from '../src/project-root.js';
import { freePort, stop } from './support/processes.js';

const README = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const firstScreen = README.slice(README.indexOf('<!-- first-screen:start -->'), README.indexOf('<!-- first-screen:end -->'));
const blocks = [...firstScreen.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

/** What a fresh clone holds (node_modules as hard links: npm install finds it complete and changes nothing). */
function freshCopy(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'linked-orgs-readme-'));
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'bin', 'src', 'scripts', 'contexts', 'schemas']) {
    cpSync(path.join(PROJECT_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  execFileSync('cp', ['-al', path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules')]);
  return root;
}

const root = freshCopy();
let server: ChildProcess | undefined;
afterAll(async () => {
  if (server) await stop(server);
  rmSync(root, { recursive: true, force: true });
});

/** The newcomer's environment: the default database (the copy's own data folder), a port of its own. */
function newcomerEnv(port: number): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ours, ...env } = process.env;
  return { ...env, PORT: String(port), LOG_LEVEL: 'info' };
}

function bash(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): string {
  return execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, env, timeout: timeoutMs, encoding: 'utf8' });
}

/** Waits (bounded) for the listening line, which comes only once the port is bound. */
function started(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`npm start did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

it("When the README's first screen is run as written in a fresh copy, then each of its five steps does what it says", async () => {
  expect(blocks.length).toBe(5);
  const [install, start, partner, call, explorer] = blocks;
  const env = newcomerEnv(await freePort());

  // 1. Install: compiles dist/ in the copy.
  bash(install, env, 240_000);
  expect(existsSync(path.join(root, 'dist', 'src', 'main.js'))).toBe(true);

  // 2. Start, in the background as in a second terminal.
  server = spawn('bash', ['-c', start.trim()], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = await started(server, 30_000);
  expect(log).toContain(`:${env.PORT}`);

  // 3 to 5 in one shell session, each step's output after a marker.
  const script = [partner, call, explorer].map((block, i) => `echo '::step ${i + 3}'\n${block}`).join('\n');
  const output = bash(script, env, 60_000).split(/^::step \d\n/m).slice(1);
  const token = output[0].trim();
  expect(token).toMatch(/^lo_[A-Za-z0-9_-]{20,}$/);
  expect(JSON.parse(output[1])).toEqual({ name: 'Acme Corp', slug: 'acme-corp', member_count: 1 });
  expect(output[2].trim()).toBe(`Open http://localhost:${env.PORT}/ and paste this token: ${token}`);
  expect(existsSync(path.join(root, 'data', 'linked-orgs.sqlite'))).toBe(true);

  // The page step 5 names is the explorer for a browser.
  const page = await fetch(`http://localhost:${env.PORT}/`, { headers: { Accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
}, 360_000);
