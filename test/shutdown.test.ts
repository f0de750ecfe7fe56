import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startServerProcess } from './support/processes.js';
import { get, RawConnection } from './support/raw-http.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Server = Awaited<ReturnType<typeof startServerProcess>>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForLog(server: Server, text: string): Promise<void> {
  for (let i = 0; i < 100 && !server.output().includes(text); i++) await pause(50);
  expect(server.output()).toContain(text);
}

/**
 * Half the connections just opened (a load balancer's spare ones), half kept alive after an
 * answer: neither has sent the request it is about to send.
 */
async function openConnections(port: number, count: number): Promise<RawConnection[]> {
  const connections = await Promise.all(Array.from({ length: count }, () => RawConnection.open(port)));
  await Promise.all(
    connections.slice(count / 2).map(async (connection) => {
      connection.send(get('/health'));
      expect((await connection.response()).status).toBe(200);
    }),
  );
  return connections;
}

function exitCode(server: Server): Promise<number | null> {
  return server.child.exitCode !== null ? Promise.resolve(server.child.exitCode) : new Promise((resolve) => server.child.once('exit', resolve));
}

async function start(drainMs: number): Promise<{ server: Server; port: number }> {
  const server = await startServerProcess({ DATABASE_URL: `sqlite:${path.join(dir, `drain-${drainMs}.sqlite`)}`, SHUTDOWN_DRAIN_MS: String(drainMs) });
  return { server, port: Number(new URL(server.base).port) };
}

describe('Shutting down without dropping requests', () => {
  it('When SIGTERM arrives with 16 connections open whose requests come a moment later, then readiness is 503 at once, every request is answered with Connection: close, new connections are refused after the drain, and the process exits 0', async () => {
    const { server, port } = await start(2_000);
    try {
      const connections = await openConnections(port, 16);
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      await waitForLog(server, '"signal":"SIGTERM"');
      await pause(300);

      const probe = await RawConnection.open(port);
      probe.send(get('/health/ready'));
      const ready = await probe.response();
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 503, type: expect.stringMatching(/\/api\/errors\/shutting-down$/) });
      expect(ready.headers.connection).toBe('close');

      for (const connection of connections) connection.send(get('/api'));
      const answers = await Promise.all(connections.map((connection) => connection.response()));
      expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
      expect(answers.every((a) => a.headers.connection === 'close')).toBe(true);
      await Promise.all(connections.map((connection) => connection.closed));
      expect(Date.now() - signalled).toBeLessThan(2_000);

      await waitForLog(server, 'no longer accepting connections');
      await expect(RawConnection.open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(await exitCode(server)).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(2_000);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 30_000);

  it('When the drain is over, then connections opened before it still have their requests answered, and the process exits 0 soon after', async () => {
    const { server, port } = await start(0);
    try {
      const connections = await openConnections(port, 16);
      server.child.kill('SIGTERM');
      await waitForLog(server, '"signal":"SIGTERM"');
      // Without a drain the listener closes at once: these requests come after it.
      await pause(200);

      for (const connection of connections) connection.send(get('/api'));
      const answers = await Promise.all(connections.map((connection) => connection.response().catch((error: Error) => error.message)));
      expect(answers.map((a) => (typeof a === 'string' ? a : a.status))).toEqual(Array(16).fill(200));
      const answered = Date.now();
      expect(await exitCode(server)).toBe(0);
      expect(Date.now() - answered).toBeLessThan(3_000);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 30_000);

  it('When connections stay silent through the last call, then they are closed and do not hold the shutdown for the grace period', async () => {
    const { server, port } = await start(0);
    try {
      const [neverUsed, keptAlive] = await openConnections(port, 2);
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      await Promise.all([neverUsed.closed, keptAlive.closed]);
      expect(await exitCode(server)).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(5_000);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 30_000);
});
