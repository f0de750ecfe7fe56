import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { cli, startServerProcess, stop } from './support/processes.js';
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

  it('When a request is logged, then the line has the request id and never the token', async () => {
    const url = `sqlite:${path.join(dir, 'logs.sqlite')}`;
    const partner = JSON.parse((await cli(url, 'partner', 'create', '--email', 'logs@partner.example', '--name', 'Logs')).stdout);
    const server = await startServerProcess({ DATABASE_URL: url });
    try {
      await fetch(`${server.base}/api/organizations`, { headers: { Authorization: `Bearer ${partner.token}`, 'X-Request-Id': 'trace-me-42' } });
      await new Promise((r) => setTimeout(r, 200));
      const line = server.output().split('\n').find((l) => l.includes('trace-me-42'));
      expect(line).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ req: { id: 'trace-me-42' }, res: { statusCode: 200 } });
      expect(server.output()).not.toContain(partner.token);
    } finally {
      await stop(server.child);
    }
  });
});
