/**
 * Each operation's success carries one example in /api/docs.json, and it is a real answer:
 * recorded by `npm run examples` from the running service (src/generators/record-examples.ts),
 * valid against the documented schema with no undocumented key, and still what the service
 * answers today (a fresh recording has the same operations and the same shape).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EXAMPLES_DIR } from '../src/generators/openapi-examples.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { ContractSchemas } from './support/fuzz/contract-schemas.js';
import { startApi, type Api } from './support/harness.js';

type Json = Record<string, any>;

let api: Api;
let document: Json;
beforeAll(async () => {
  api = await startApi();
  document = (await api.http().get('/api/docs.json')).body;
});
afterAll(() => api.close());

function successes(): { operationId: string; content: Json }[] {
  return Object.values(document.paths as Json).flatMap((item: Json) =>
    Object.entries(item)
      .filter(([method]) => method !== 'parameters')
      .map(([, operation]: [string, Json]) => {
        const [, success] = Object.entries(operation.responses as Json).find(([status]) => /^2/.test(status))!;
        return { operationId: operation.operationId as string, content: (success as Json).content };
      })
      .filter(({ content }) => content),
  );
}

/** Every key path of a JSON value, arrays read as their first item: what a recording's shape is. */
function shape(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.length ? shape(value[0], `${at}[]`) : [`${at}[]`];
  if (typeof value !== 'object' || value === null) return [at];
  return Object.entries(value).flatMap(([key, v]) => shape(v, `${at}.${key}`));
}

describe('Response examples in the OpenAPI document', () => {
  it('When each operation with a body to return is read, then its JSON-LD and JSON successes carry an example valid against their schema, with no undocumented key', () => {
    const schemas = new ContractSchemas(document);
    const list = successes();
    expect(list.length).toBeGreaterThan(20);
    for (const { operationId, content } of list) {
      for (const type of ['application/ld+json', 'application/json']) {
        const media = content[type];
        expect({ operationId, type, example: media.example !== undefined }).toEqual({ operationId, type, example: true });
        const validate = schemas.validator(media.schema, 'closed');
        if (!validate(media.example)) throw new Error(`${operationId} ${type}: ${JSON.stringify(validate.errors)}`);
      }
      expect(content['application/json'].example['@context']).toBeUndefined();
    }
  });

  it('When the examples are recorded again from a fresh service, then the same operations answer with the same shape as the committed ones', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'linked-orgs-examples-'));
    try {
      await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/generators/record-examples.js'), out], { cwd: PROJECT_ROOT, timeout: 60_000 });
      const committed = readdirSync(path.join(PROJECT_ROOT, EXAMPLES_DIR)).sort();
      expect(readdirSync(out).sort()).toEqual(committed);
      for (const file of committed) {
        const read = (dir: string) => [...new Set(shape(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))))].sort();
        expect({ file, shape: read(out) }).toEqual({ file, shape: read(path.join(PROJECT_ROOT, EXAMPLES_DIR)) });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);
});
