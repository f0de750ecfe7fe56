import BetterSqlite3 from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { freshPostgresDatabase } from './support/postgres.js';
import { exchange, listedNames, send } from './support/plain-http.js';
import { cli, startServerProcess, stop } from './support/processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BURST = 200;
const IN_FLIGHT = 20;
const KILL_AFTER = 50;

async function partnerHeaders(url: string, email: string): Promise<Record<string, string>> {
  const { token } = JSON.parse((await cli(url, 'partner', 'create', '--email', email, '--name', 'Crash')).stdout);
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
}

/**
 * POSTs up to BURST organizations, IN_FLIGHT at a time on keep-alive connections, and sends
 * SIGKILL as soon as KILL_AFTER are acknowledged; from then on no new request starts.
 */
async function burstThenKill(base: string, headers: Record<string, string>, child: ChildProcess) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const acknowledged: string[] = [];
  const cutByKill: string[] = [];
  const unexpected: string[] = []; // any other status, or a failure before the kill
  let sent = 0;
  let inFlightAtKill = -1;
  const worker = async () => {
    while (sent < BURST && inFlightAtKill < 0) {
      const name = `Crash ${String(sent++).padStart(3, '0')}`;
      try {
        const res = await send(`${base}/api/organizations`, { method: 'POST', agent, headers }, { name });
        if (res.status === 201) acknowledged.push(name);
        else unexpected.push(`${name}: ${res.status} ${res.body}`);
      } catch (error) {
        (inFlightAtKill < 0 ? unexpected : cutByKill).push(`${name}: ${(error as Error).message}`);
      }
      if (acknowledged.length >= KILL_AFTER && inFlightAtKill < 0) {
        inFlightAtKill = sent - acknowledged.length - cutByKill.length - unexpected.length;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  agent.destroy();
  return { sent, acknowledged, cutByKill, unexpected, inFlightAtKill };
}

interface Target { url: string; integrityCheck?: () => unknown; drop: () => Promise<unknown> }

// SQLite always (the embedded engine's own durability); PostgreSQL too when DATABASE_URL names one.
const engines: [string, () => Promise<Target>][] = [
  ['SQLite', async () => {
    const file = path.join(dir, 'crash.sqlite');
    // Read-only: the check must not checkpoint the WAL; the restarted server recovers it itself.
    const integrityCheck = () => {
      const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
      try { return db.pragma('integrity_check', { simple: true }); } finally { db.close(); }
    };
    return { url: `sqlite:${file}`, integrityCheck, drop: async () => undefined };
  }],
];
const postgresServer = process.env.DATABASE_URL;
if (postgresServer?.startsWith('postgres')) engines.push(['PostgreSQL', () => freshPostgresDatabase(postgresServer)]);

// A process kill cannot tell SQLITE_SYNCHRONOUS=FULL from NORMAL: in WAL mode both leave every
// commit in the OS page cache, which outlives the process; they differ only on power loss, which
// no test here simulates. So this test guards that no 2xx is sent before the commit and that the
// file recovers cleanly; the counts below make sure the kill really lands mid-burst.
describe.each(engines)('Durability on %s', (_engine, open) => {
  it('When the server is killed with SIGKILL in the middle of a burst of writes, then every write it answered 2xx is there after a restart, and the database opens cleanly', async () => {
    const target = await open();
    let child: ChildProcess | undefined;
    try {
      const headers = await partnerHeaders(target.url, 'crash@partner.example');
      const first = await startServerProcess({ DATABASE_URL: target.url });
      child = first.child;
      const killed = new Promise((resolve) => first.child.once('exit', (_code, signal) => resolve(signal)));
      const burst = await burstThenKill(first.base, headers, first.child);
      expect(await killed).toBe('SIGKILL');
      expect(burst.unexpected).toEqual([]);
      expect(burst.acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(burst.inFlightAtKill).toBeGreaterThan(0);
      expect(burst.cutByKill.length).toBeGreaterThan(0);
      expect(burst.sent).toBeLessThan(BURST);
      if (target.integrityCheck) expect(target.integrityCheck()).toBe('ok');

      const second = await startServerProcess({ DATABASE_URL: target.url });
      child = second.child;
      const listed = await listedNames(second.base, headers);
      const lost = burst.acknowledged.filter((name) => !listed.includes(name));
      expect(lost).toEqual([]);
      const sentNames = new Set(Array.from({ length: burst.sent }, (_, i) => `Crash ${String(i).padStart(3, '0')}`));
      expect(listed.filter((name) => !sentNames.has(name))).toEqual([]);
      expect(new Set(listed).size).toBe(listed.length);
      expect(await stop(second.child)).toBe(0);
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await target.drop();
    }
  }, 60_000);
});

describe('Graceful shutdown', () => {
  it('When the server gets SIGTERM with requests in flight, then it finishes them, refuses new connections, closes the database and exits 0', async () => {
    const file = path.join(dir, 'graceful.sqlite');
    const headers = await partnerHeaders(`sqlite:${file}`, 'graceful@partner.example');
    const server = await startServerProcess({ DATABASE_URL: `sqlite:${file}` });
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    try {
      // Each POST sends its headers with Expect: 100-continue; the 100 proves the server holds the
      // request, and the body follows only once the server has taken the signal.
      const posts = Array.from({ length: IN_FLIGHT }, (_, i) => {
        const body = JSON.stringify({ name: `Graceful ${i}` });
        const { req, answer } = exchange(`${server.base}/api/organizations`, { method: 'POST', agent, headers: { ...headers, Expect: '100-continue', 'Content-Length': String(body.length) } });
        const received = new Promise((resolve) => req.once('continue', resolve));
        req.flushHeaders();
        return { received, status: answer.then((a) => a.status, (e: Error) => e.message), finish: () => req.end(body) };
      });
      await Promise.all(posts.map((p) => p.received));
      server.child.kill('SIGTERM');
      for (let i = 0; i < 50 && !server.output().includes('shutting down'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(server.output()).toMatch(/"signal":"SIGTERM","msg":"shutting down/);
      await expect(send(`${server.base}/api`, {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      posts.forEach((p) => p.finish());
      expect(await Promise.all(posts.map((p) => p.status))).toEqual(Array(IN_FLIGHT).fill(201));
      // Keep-alive connections must not hold the server open once their answers are out.
      const answered = Date.now();
      expect(await exited).toBe(0);
      expect(Date.now() - answered).toBeLessThan(2_000);
      // The last connection to close checkpoints the WAL and removes it: the database was closed.
      expect(existsSync(`${file}-wal`)).toBe(false);
      await expect(send(`${server.base}/api`, {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      agent.destroy();
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
  }, 30_000);
});
