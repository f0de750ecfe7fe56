import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freshPostgresDatabase } from './support/postgres.js';
import { listedNames, send, type Answer } from './support/plain-http.js';
import { cli, startServerProcess, stop } from './support/processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-idempotency-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BURST = 200;
const IN_FLIGHT = 20;
const KILL_AFTER = 50;

const nameOf = (i: number) => `Keyed ${String(i).padStart(3, '0')}`;
const keyOf = (i: number) => `crash-key-${i}`;

/**
 * Keyed POSTs, IN_FLIGHT at a time on keep-alive connections, until KILL_AFTER are answered:
 * then SIGKILL, and no new request starts. Returns each sent request's first answer, or none.
 */
async function burstThenKill(base: string, headers: Record<string, string>, child: ChildProcess) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const answered = new Map<number, Answer>();
  const cut: number[] = [];
  const unexpected: string[] = [];
  let sent = 0;
  let killed = false;
  const worker = async () => {
    while (sent < BURST && !killed) {
      const i = sent++;
      try {
        const res = await send(`${base}/api/organizations`, { method: 'POST', agent, headers: { ...headers, 'Idempotency-Key': keyOf(i) } }, { name: nameOf(i) });
        if (res.status === 201) answered.set(i, res);
        else unexpected.push(`${nameOf(i)}: ${res.status} ${res.body}`);
      } catch (error) {
        if (killed) cut.push(i);
        else unexpected.push(`${nameOf(i)}: ${(error as Error).message}`);
      }
      if (answered.size >= KILL_AFTER && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  agent.destroy();
  return { sent, answered, cut, unexpected };
}

const engines: [string, () => Promise<{ url: string; drop: () => Promise<unknown> }>][] = [['SQLite', async () => ({ url: `sqlite:${path.join(dir, 'keys.sqlite')}`, drop: async () => undefined })]];
const postgresServer = process.env.DATABASE_URL;
if (postgresServer?.startsWith('postgres')) engines.push(['PostgreSQL', () => freshPostgresDatabase(postgresServer)]);

describe.each(engines)('Idempotency-Key across a crash on %s', (engine, open) => {
  it('When the server is killed with SIGKILL during a burst of keyed POSTs and restarted, then every retry gets the first answer if its organization exists, or creates it if not: one organization per key, no 409', async () => {
    const target = await open();
    let child: ChildProcess | undefined;
    try {
      const { token } = JSON.parse((await cli(target.url, 'partner', 'create', '--email', 'keys@crash.example', '--name', 'Keys')).stdout);
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const first = await startServerProcess({ DATABASE_URL: target.url });
      child = first.child;
      const exited = new Promise((resolve) => first.child.once('exit', (_code, signal) => resolve(signal)));
      const burst = await burstThenKill(first.base, headers, first.child);
      expect(await exited).toBe('SIGKILL');
      expect(burst.unexpected).toEqual([]);
      expect(burst.cut.length).toBeGreaterThan(0);

      const second = await startServerProcess({ DATABASE_URL: target.url });
      child = second.child;
      const existing = new Set(await listedNames(second.base, headers));
      const sentIds = Array.from({ length: burst.sent }, (_, i) => i);
      const retries = await Promise.all(sentIds.map(async (i) => ({ i, res: await send(`${second.base}/api/organizations`, { method: 'POST', headers: { ...headers, 'Idempotency-Key': keyOf(i) } }, { name: nameOf(i) }) })));

      expect(retries.filter(({ res }) => res.status !== 201).map(({ i, res }) => `${nameOf(i)}: ${res.status} ${res.body}`)).toEqual([]);
      for (const { i, res } of retries) {
        const existed = existing.has(nameOf(i));
        // Replayed exactly when the first attempt committed; its answer, whether or not the client got it.
        expect([nameOf(i), res.headers['idempotent-replayed'] === 'true']).toEqual([nameOf(i), existed]);
        const firstAnswer = burst.answered.get(i);
        if (firstAnswer) expect(JSON.parse(res.body)).toEqual(JSON.parse(firstAnswer.body));
      }
      const listed = await listedNames(second.base, headers);
      expect(listed.sort()).toEqual(sentIds.map(nameOf).sort());

      const cutCommitted = burst.cut.filter((i) => existing.has(nameOf(i))).length;
      process.stdout.write(
        `[${engine}] sent ${burst.sent}, answered before the kill ${burst.answered.size}, cut by the kill ${burst.cut.length} ` +
          `(${cutCommitted} had committed: their retry got the first answer; ${burst.cut.length - cutCommitted} had not: their retry did the work); ` +
          `retries after the restart: ${retries.filter(({ res }) => res.headers['idempotent-replayed'] === 'true').length} replayed, ` +
          `${retries.filter(({ res }) => res.headers['idempotent-replayed'] !== 'true').length} carried out, 0 refused\n`,
      );
      expect(await stop(second.child)).toBe(0);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await target.drop();
    }
  }, 90_000);
});
