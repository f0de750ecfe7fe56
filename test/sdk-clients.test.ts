/**
 * Partners generate clients from the served /api/docs.json: here with openapi-typescript +
 * openapi-fetch, @hey-api/openapi-ts and orval. Each generated client gets a small partner
 * program (test/support/sdk-programs/), type-checked with tsc --strict (it has no casts and no
 * non-null assertions, so every field it reads must be typed as the API sends it), then run
 * against the test server; its report is what the API answered it.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT } from '../src/project-root.js';
import { startApi, type Api } from './support/harness.js';

const run = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin');
const PROGRAMS = path.join(PROJECT_ROOT, 'test', 'support', 'sdk-programs');
/** Generation, type-checking and the run each take seconds; a hung tool fails the test instead of holding it. */
const STEP_TIMEOUT_MS = 120_000;
/** Per token: each program spends about 15 requests with its own token, its second token meets the limit. */
const RATE_LIMITS = { perCredential: 30, anonymous: 30 };

interface Client {
  name: string;
  program: string;
  generate: (dir: string) => Promise<unknown>;
}

const CLIENTS: Client[] = [
  { name: 'openapi-typescript + openapi-fetch', program: 'openapi-fetch-partner.ts', generate: (dir) => tool(dir, 'openapi-typescript', 'doc.json', '-o', 'openapi-typescript/schema.d.ts') },
  { name: '@hey-api/openapi-ts', program: 'hey-api-partner.ts', generate: (dir) => tool(dir, 'openapi-ts', '-i', 'doc.json', '-o', 'hey-api', '-c', '@hey-api/client-fetch') },
  {
    name: 'orval',
    program: 'orval-partner.ts',
    generate: (dir) => {
      // A success is documented in every format it can be negotiated to; orval types each answer as the union of all of them unless told which the client asks for.
      const contentType = { exclude: ['application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"', 'text/html'] };
      const output = { target: './orval/api.ts', client: 'fetch', mode: 'single', baseUrl: { getBaseUrlFromSpecification: true }, override: { contentType } };
      const config = { partner: { input: { target: './doc.json' }, output } };
      writeFileSync(path.join(dir, 'orval.config.cjs'), `module.exports = ${JSON.stringify(config)};\n`);
      return tool(dir, 'orval', '--config', 'orval.config.cjs');
    },
  },
];

function tool(cwd: string, name: string, ...args: string[]) {
  return run(path.join(BIN, name), args, { cwd, timeout: STEP_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } });
}

let api: Api;
let document: { servers: { url: string }[] };
beforeAll(async () => {
  api = await startApi({ rateLimits: RATE_LIMITS });
  document = (await api.http().get('/api/docs.json')).body;
});
afterAll(() => api.close());

/** A directory of its own for one client: the served document, the programs, the project's node_modules. */
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-sdk-'));
  writeFileSync(path.join(dir, 'doc.json'), JSON.stringify(document));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const file of readdirSync(PROGRAMS)) copyFileSync(path.join(PROGRAMS, file), path.join(dir, file));
  return dir;
}

/** tsc --strict over the program and what it imports (the generated client), emitting JavaScript to run. */
async function typeCheck(dir: string, program: string): Promise<void> {
  const compilerOptions = { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM'], types: ['node'], skipLibCheck: true, outDir: 'out', rootDir: '.' };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [program] }));
  await run(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir, timeout: STEP_TIMEOUT_MS }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc --strict refused ${program}:\n${error.stdout ?? String(error)}`);
  });
}

describe('Clients generated from the served OpenAPI document', () => {
  it('When the document is served, then its servers name the origin it was read through, so generated clients call the API itself', () => {
    expect(document.servers[0].url).toBe(api.base);
  });

  it.each(CLIENTS)(
    'When a partner program is written over the $name client, then it type-checks under tsc --strict without casts or non-null assertions, and runs the README flow against the API',
    async (client) => {
      const source = readFileSync(path.join(PROGRAMS, client.program), 'utf8').replace(/\/\/.*$/gm, '');
      expect(source).not.toMatch(/\bas\s+(?!const\b)[\w{[(]/);
      expect(source).not.toMatch(/[\w)\]]!(?!=)/);

      const dir = workspace();
      try {
        await client.generate(dir);
        await typeCheck(dir, client.program);
        const owner = await api.partner('SDK Owner');
        const limited = await api.partner('SDK Limited');
        const member = await api.partner('SDK Member');
        const label = path.basename(client.program, '-partner.ts').replace(/\W/g, '');
        const env = { ...process.env, SDK_API: api.base, SDK_TOKEN: owner.token, SDK_LIMITED_TOKEN: limited.token, SDK_MEMBER_EMAIL: member.email, SDK_LABEL: label };
        const { stdout } = await run(process.execPath, [path.join('out', client.program.replace(/\.ts$/, '.js'))], { cwd: dir, env, timeout: STEP_TIMEOUT_MS });
        const report = JSON.parse(stdout);

        expect(report.createdName).toBe(`${label} One`);
        expect(report.readName).toBe(`${label} One`);
        // Three organizations, one per page, reached by following hydra:next's after cursor.
        expect(report.pagesRead).toBe(3);
        expect(new Set(report.listedIds).size).toBe(3);
        expect(report.renamedTo).toBe(`${label} Renamed`);
        expect(report.settingsAfterRename).toEqual({ max_members: 50, members_can_invite: true, crm: 'c-1' });
        expect(report.memberRole).toBe('admin');
        expect(report.invitationStatus).toBe('pending');
        expect(report.violationPaths).toEqual(expect.arrayContaining(['name', 'billing_email']));
        expect(report.branches).toEqual(['conflict: choose another slug', 'stale: read again and retry', 'rate limited: wait for Retry-After']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    6 * STEP_TIMEOUT_MS,
  );
});
