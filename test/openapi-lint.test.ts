/**
 * The served /api/docs.json through two linters partners' tooling runs: Redocly's recommended
 * ruleset and Spectral's OWASP ruleset (@stoplight/spectral-owasp-ruleset). What the OWASP
 * ruleset still reports is listed in the README's OpenAPI section, with why.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT } from '../src/project-root.js';
import { startApi, type Api } from './support/harness.js';

const run = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin');
const LINT_TIMEOUT_MS = 120_000;
/** Spectral's severities: 0 is an error. */
const ERROR = 0;

interface SpectralResult {
  code: string;
  severity: number;
  path: string[];
}

let api: Api;
let dir: string;
beforeAll(async () => {
  api = await startApi();
  dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-lint-'));
  writeFileSync(path.join(dir, 'doc.json'), (await api.http().get('/api/docs.json')).text);
  writeFileSync(path.join(dir, '.spectral.json'), JSON.stringify({ extends: [path.join(PROJECT_ROOT, 'node_modules', '@stoplight', 'spectral-owasp-ruleset', 'dist', 'ruleset.mjs')] }));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Linters exit non-zero when they find anything; their JSON report is what is asserted. */
async function lint(name: string, ...args: string[]): Promise<string> {
  const answer = await run(path.join(BIN, name), args, { cwd: dir, timeout: LINT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', REDOCLY_TELEMETRY: 'off' } }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return answer.stdout;
}

describe('The served OpenAPI document against linters', () => {
  it("When Redocly's recommended ruleset lints it, then it finds no error", async () => {
    const report = JSON.parse(await lint('redocly', 'lint', 'doc.json', '--extends', 'recommended', '--format', 'json'));
    expect(report.totals.errors).toBe(0);
  }, LINT_TIMEOUT_MS);

  it("When Spectral's OWASP ruleset lints it, then no error is about 429, error responses or rate-limit headers", async () => {
    const results: SpectralResult[] = JSON.parse(await lint('spectral', 'lint', 'doc.json', '-r', '.spectral.json', '-f', 'json', '-q'));
    expect(results.length).toBeGreaterThan(0); // the ruleset ran
    const errors = results.filter((r) => r.severity === ERROR);
    expect(errors.filter((r) => /rate-limit|define-error-responses|define-error-validation/.test(r.code))).toEqual([]);
  }, LINT_TIMEOUT_MS);

  it("When Spectral's OWASP ruleset lints what clients send (parameters, request headers, request bodies), then nothing is unbounded (itemsPerPage's maximum is what is read; more than 100 is read as 100)", async () => {
    const results: SpectralResult[] = JSON.parse(await lint('spectral', 'lint', 'doc.json', '-r', '.spectral.json', '-f', 'json', '-q'));
    const input = (r: SpectralResult) => {
      const at = r.path.join('.');
      return /requestBody|\.parameters\.|^components\.parameters|^components\.schemas\.\w+\.(create|update)\b/.test(at) && !at.includes('responses');
    };
    const unbounded = results.filter((r) => r.severity === ERROR && /string-limit|array-limit|integer-limit|integer-format/.test(r.code) && input(r));
    const document = JSON.parse((await api.http().get('/api/docs.json')).text);
    const named = unbounded.map((r) => {
      const parameter = r.path[0] === 'paths' && r.path[3] === 'parameters' ? document.paths[r.path[1]][r.path[2]].parameters[Number(r.path[4])] : undefined;
      return `${r.code} ${parameter?.name ?? r.path.join('.')}`;
    });
    expect(named).toEqual([]);
  }, LINT_TIMEOUT_MS);
});
