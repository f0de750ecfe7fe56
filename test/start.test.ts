import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT } from '../src/project-root.js';
import { cli, freePort, runServerToExit, startServerProcess, stop } from './support/processes.js';
import { projectCopy } from './support/project-copy.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Starting the service', () => {
  it("When started with no DATABASE_URL from another folder, then it creates and migrates data/linked-orgs.sqlite in the project's folder and serves /api", async () => {
    const project = projectCopy();
    const { child, base } = await startServerProcess({ DATABASE_URL: '' }, dir, project.root).catch((error) => {
      project.remove();
      throw error;
    });
    try {
      expect(existsSync(path.join(project.root, 'data/linked-orgs.sqlite'))).toBe(true);
      expect(existsSync(path.join(dir, 'data'))).toBe(false);
      const res = await fetch(`${base}/api`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as Record<string, unknown>)['@type']).toBe('EntryPoint');
    } finally {
      expect(await stop(child)).toBe(0);
      project.remove();
    }
  });

  it('When DATABASE_URL names a file, then the service and the CLI share it, and data survives a restart', async () => {
    const url = `sqlite:${path.join(dir, 'custom.sqlite')}`;
    const partner = JSON.parse((await cli(url, 'partner', 'create', '--email', 'restart@partner.example', '--name', 'Restart')).stdout);
    const headers = { Authorization: `Bearer ${partner.token}`, 'Content-Type': 'application/json' };
    const first = await startServerProcess({ DATABASE_URL: url });
    const created = (await (await fetch(`${first.base}/api/organizations`, { method: 'POST', headers, body: JSON.stringify({ name: 'Survivor' }) })).json()) as Record<string, string>;
    expect(await stop(first.child)).toBe(0);

    const second = await startServerProcess({ DATABASE_URL: url });
    try {
      const read = await fetch(`${second.base}${created['@id']}`, { headers });
      expect(read.status).toBe(200);
      expect(((await read.json()) as Record<string, unknown>).name).toBe('Survivor');
      expect(second.output()).toContain('"msg":"Linked Orgs API listening"');
    } finally {
      await stop(second.child);
    }
  });

  it('When DATABASE_QUERY_TIMEOUT_MS is not above DATABASE_STATEMENT_TIMEOUT_MS, then the service refuses to start and says why', async () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'bounds.sqlite')}`, DATABASE_STATEMENT_TIMEOUT_MS: '3000', DATABASE_QUERY_TIMEOUT_MS: '3000' };
    await expect(startServerProcess(env)).rejects.toThrow('DATABASE_QUERY_TIMEOUT_MS (3000) must be above DATABASE_STATEMENT_TIMEOUT_MS (3000)');
  });

  it('When a request is logged, then the line has the request id and never the token', async () => {
    const url = `sqlite:${path.join(dir, 'logs.sqlite')}`;
    const partner = JSON.parse((await cli(url, 'partner', 'create', '--email', 'logs@partner.example', '--name', 'Logs')).stdout);
    const server = await startServerProcess({ DATABASE_URL: url });
    try {
      await fetch(`${server.base}/api/organizations`, { headers: { Authorization: `Bearer ${partner.token}`, 'X-Request-Id': 'trace-me-42' } });
      for (let i = 0; i < 100 && !server.output().includes('trace-me-42'); i++) await new Promise((r) => setTimeout(r, 50));
      const line = server.output().split('\n').find((l) => l.includes('trace-me-42'));
      expect(line).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ req: { id: 'trace-me-42' }, res: { statusCode: 200 } });
      expect(server.output()).not.toContain(partner.token);
    } finally {
      await stop(server.child);
    }
  });
});

/** Exactly one line on stderr, naming the problem; no stack frame, no "listening" claim. */
function expectOneLineFailure(run: { code: number | null; stdout: string; stderr: string }, says: RegExp): void {
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull();
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Linked Orgs cannot start: /);
  expect(lines[0]).toMatch(says);
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at |node:internal|listening/);
}

describe('Start-up failures', () => {
  it('When the port is already in use, then the service exits non-zero with one line saying so and what to do, and never claims to listen', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const run = await runServerToExit({ DATABASE_URL: `sqlite:${path.join(dir, 'taken.sqlite')}`, PORT: String(port) });
      expectOneLineFailure(run, new RegExp(`port ${port} is already in use.*set PORT`));
    } finally {
      taken.close();
    }
  });

  it.each([
    ['PostgreSQL refuses connections', async () => `postgres://postgres@127.0.0.1:${await freePort()}/test`, /refused the connection: start PostgreSQL/],
    ['the PostgreSQL database does not exist', async () => 'postgres://postgres@127.0.0.1:5432/linked_orgs_no_such_database', /database "linked_orgs_no_such_database" does not exist: create it/],
    ['DATABASE_URL names an engine it does not speak', async () => 'mysql://root@127.0.0.1/app', /DATABASE_URL must start with sqlite: or postgres:\/\//],
    ['the SQLite file\'s folder cannot be created', async () => {
      const file = path.join(dir, 'a-file');
      writeFileSync(file, 'not a folder');
      return `sqlite:${path.join(file, 'data/linked-orgs.sqlite')}`;
    }, /cannot create the folder of the SQLite file .*DATABASE_URL=sqlite:PATH/],
  ])('When %s, then the service exits non-zero with one line saying what is wrong and what to do', async (_case, url, says) => {
    const run = await runServerToExit({ DATABASE_URL: await url(), PORT: String(await freePort()) });
    expectOneLineFailure(run, says);
  });

  it('When a setting is not valid, then the service exits non-zero with one line naming it', async () => {
    const run = await runServerToExit({ DATABASE_URL: `sqlite:${path.join(dir, 'settings.sqlite')}`, PORT: String(await freePort()), PUBLIC_ORIGIN: 'https://api.example.com/api' });
    expectOneLineFailure(run, /PUBLIC_ORIGIN must be a scheme and host/);
  });
});

describe('The listening line', () => {
  it('When the service starts, then it says it listens only once the port answers, with the URLs of the API and of the explorer', async () => {
    const server = await startServerProcess({ DATABASE_URL: `sqlite:${path.join(dir, 'line.sqlite')}` });
    try {
      const line = JSON.parse(server.output().split('\n').find((l) => l.includes('Linked Orgs API listening'))!);
      expect(line).toMatchObject({ url: `${server.base}/api`, explorer: `${server.base}/` });
      expect((await fetch(line.url)).status).toBe(200);
    } finally {
      await stop(server.child);
    }
  });
});

describe('npm start', () => {
  /** Milliseconds from spawning `command` to the first 200 from /health. */
  async function timeToFirstAnswer(command: string, args: string[], port: number) {
    const started = Date.now();
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, `npm-${port}.sqlite`)}`, PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_DRAIN_MS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      const answered = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
      if (answered) return { child, ms: Date.now() - started, output: () => output };
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`${command} did not answer: ${output}`);
  }

  it('When `npm start` runs on a built tree, then it answers without compiling first, and SIGTERM sent to npm stops the server (none left running)', async () => {
    const direct = await timeToFirstAnswer(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js')], await freePort());
    expect(await stop(direct.child)).toBe(0);

    const port = await freePort();
    const npm = await timeToFirstAnswer('npm', ['start', '--silent'], port);
    try {
      // Compiling first took about 7 s; npm and the freshness check add about 0.6 s (measured: 1.8 s against 1.2 s for node).
      expect(npm.output()).not.toContain('compiling');
      expect(npm.ms).toBeLessThan(direct.ms * 1.5 + 2_000);

      const exited = new Promise((resolve) => npm.child.once('exit', resolve));
      npm.child.kill('SIGTERM');
      await exited;
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      npm.child.kill('SIGKILL');
    }
  }, 90_000);
});
