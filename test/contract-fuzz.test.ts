/**
 * The API against its own OpenAPI document, as partners' generated clients and generic tools
 * see it: every operation of the served /api/docs.json is fuzzed with requests derived from
 * that document (valid and hostile, as every kind of caller), and every answer is checked
 * against the same document: status, content type, body schema, documented headers, no 5xx.
 * Then the fuzzer's own tests: what it calls valid is valid, what the document describes passes,
 * and a defect put into the API's answers is reported.
 *
 * Seeded: FUZZ_SEED=<n> replays a run (the seed is printed on failure), FUZZ_REQUESTS=<n> sends
 * more, FUZZ_REPORT=<file> writes the defect list and the statuses seen per operation there,
 * FUZZ_TRACE=<file> one line per exchange (operation, caller, how the request was built, status).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { conformingAnswer, queryValues } from './support/fuzz/conforming-answers.js';
import { ContractSchemas } from './support/fuzz/contract-schemas.js';
import { DOCUMENT_PATH, runContractFuzz } from './support/fuzz/contract-fuzzer.js';
import type { Sent } from './support/fuzz/defects.js';
import { FuzzWorld } from './support/fuzz/fuzz-world.js';
import type { Answer } from './support/fuzz/http-exchange.js';
import { documentedOperations, documentedScopes, isJsonMedia, operationFor, type DocumentedOperation, type Json } from './support/fuzz/openapi-operations.js';
import { createPrincipals } from './support/fuzz/principals.js';
import { planRequest, type PlanContext } from './support/fuzz/request-plans.js';
import { checkAnswer } from './support/fuzz/response-checker.js';
import { SeededRandom } from './support/fuzz/seeded-random.js';
import { startTamperingProxy, type ProxiedAnswer } from './support/fuzz/tampering-proxy.js';
import { startApi, type Api } from './support/harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_126);
const REQUESTS = Math.max(5000, Number(process.env.FUZZ_REQUESTS ?? 5200));
/** Limits that let the run through: the limiter still counts and sends its headers. */
const GENEROUS_LIMITS = { perCredential: 1_000_000, anonymous: 1_000_000 };
const BURST_LIMITS = { perCredential: 20, anonymous: 10 };
const FUZZ_TIMEOUT_MS = 600_000;

let api: Api;
let limited: Api;
let document: Json;
let operations: DocumentedOperation[];
beforeAll(async () => {
  api = await startApi({ rateLimits: GENEROUS_LIMITS });
  limited = await startApi({ rateLimits: BURST_LIMITS });
  document = (await api.http().get(DOCUMENT_PATH)).body;
  operations = documentedOperations(document);
});
afterAll(async () => {
  await api.close();
  await limited.close();
});

function tracer(): ((sent: Sent, answer: Answer) => void) | undefined {
  const file = process.env.FUZZ_TRACE;
  if (!file) return undefined;
  writeFileSync(file, '');
  return (sent, answer) => appendFileSync(file, `${JSON.stringify({ op: sent.operation, as: sent.principal, intent: sent.intent, status: answer.status, answer: answer.body.toString('utf8').slice(0, 1500) })}\n`);
}

describe('The API against its served OpenAPI document', () => {
  it(`When every documented operation is fuzzed from ${DOCUMENT_PATH} (at least ${REQUESTS} valid and hostile requests, every kind of caller, a rate-limit burst), then every answer is one the document allows`, async () => {
    const run = await runContractFuzz({ api, limited, seed: SEED, requests: REQUESTS, trace: tracer() });
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${run.summary()}\n\nStatuses per operation:\n${run.coverage()}\n`);

    expect(run.fuzzerErrors).toEqual([]);
    expect(run.requests).toBeGreaterThanOrEqual(5000);
    expect(run.operations.length).toBe(operations.length);
    // The success paths are exercised too: every operation answered 2xx at least once.
    const neverSucceeded = run.operations.filter((o) => ![...(run.statuses.get(o.label)?.keys() ?? [])].some((status) => status < 300)).map((o) => o.label);
    expect(neverSucceeded).toEqual([]);
    if (run.log.defects.size) throw new Error(run.summary());
  }, FUZZ_TIMEOUT_MS);
});

describe('The contract fuzzer itself', () => {
  it('When it builds requests it means to be valid, then the served document accepts every such body and query value', async () => {
    const rng = new SeededRandom(SEED);
    const schemas = new ContractSchemas(document);
    const principals = await createPrincipals(api, document, documentedScopes(operations), rng);
    const ctx: PlanContext = { rng, schemas, world: new FuzzWorld(operations, api.base), principals, fuzzerErrors: new Set(), idempotency: new Map() };
    const checked = { bodies: 0, queries: 0 };
    for (let round = 0; round < 80; round++) {
      for (const operation of operations) {
        const { intent, request } = planRequest(operation, ctx);
        const type = request.headers['Content-Type'];
        if (/body:valid\(/.test(intent) && !/content-type:/.test(intent)) {
          const media = operation.requestBody!.content[type];
          const body = isJsonMedia(type) ? JSON.parse(request.body!.toString('utf8')) : request.body!.toString('utf8');
          expect({ operation: operation.label, body, errors: schemas.validator(media.schema ?? {})(body) ? [] : schemas.validator(media.schema ?? {}).errors }).toEqual({ operation: operation.label, body, errors: [] });
          checked.bodies++;
        }
        if (/query:valid/.test(intent)) {
          for (const [name, value] of queryValues(operation, request.target)) {
            const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === name)!;
            expect({ operation: operation.label, name, value, valid: schemas.validator(parameter.schema)(value) }).toEqual({ operation: operation.label, name, value, valid: true });
            checked.queries++;
          }
        }
      }
    }
    expect(ctx.fuzzerErrors).toEqual(new Set());
    expect(checked.bodies).toBeGreaterThan(200);
    expect(checked.queries).toBeGreaterThan(200);
  });

  it('When an answer is exactly what the document describes, for every status and media type of every operation, then the checker finds nothing; broken in one place, it names that place', () => {
    const rng = new SeededRandom(SEED);
    const schemas = new ContractSchemas(document);
    let forged = 0;
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        // 500 and 503 are documented (an outage gives them) but are always defects of a healthy run.
        if (Number(status) >= 500) continue;
        for (const media of Object.keys(response.content ?? {}).length ? Object.keys(response.content) : [undefined]) {
          for (let i = 0; i < 3; i++) {
            const answer = conformingAnswer(operation, status, media, document, schemas, rng);
            expect({ operation: operation.label, status, media, mismatches: checkAnswer(operation, answer, schemas, document) }).toEqual({ operation: operation.label, status, media, mismatches: [] });
            forged++;
          }
        }
      }
    }
    expect(forged).toBeGreaterThan(operations.length * 3);

    const withBody = operations.find((o) => o.responses['200']?.content?.['application/json'])!;
    const good = conformingAnswer(withBody, '200', 'application/json', document, schemas, rng);
    const kinds = (answer: Answer) => checkAnswer(withBody, answer, schemas, document).map((m) => m.kind);
    const body = JSON.parse(good.body.toString('utf8'));
    const broken = (value: unknown) => ({ ...good, body: Buffer.from(JSON.stringify(value)) });
    const required: string = schemas.resolve(withBody.responses['200'].content['application/json'].schema).required[0];
    expect(kinds({ ...good, status: 299 })).toEqual(['undocumented-status']);
    expect(kinds({ ...good, status: 502 })).toEqual(['server-error']);
    expect(kinds({ ...good, headers: { ...good.headers, 'content-type': 'text/csv' } })).toEqual(['content-type']);
    expect(kinds({ ...good, body: Buffer.from('{"truncated": ') })).toEqual(['body-not-json']);
    expect(kinds(broken({ ...body, [required]: undefined }))).toEqual(['body-schema']);
    expect(kinds(broken({ ...body, injected_by_the_test: true }))).toEqual(['undocumented-property']);

    // A documented header whose schema says more than "a string", when the document has one.
    const constrained = operations.flatMap((o) => Object.entries(o.responses).flatMap(([status, r]) => Object.entries((r.headers ?? {}) as Json).filter(([, h]) => h.schema?.format || h.schema?.pattern || h.schema?.enum).map(([name]) => ({ o, status, name }))));
    for (const { o, status, name } of constrained.slice(0, 1)) {
      const media = Object.keys(o.responses[status].content ?? {})[0];
      const answer = conformingAnswer(o, status, media, document, schemas, rng);
      const spoilt = { ...answer, headers: { ...answer.headers, [name.toLowerCase()]: 'not a valid\u0001value' } };
      expect(checkAnswer(o, spoilt, schemas, document).map((m) => [m.kind, m.where.split(' ')[0]])).toEqual([['header-schema', name]]);
    }
  });

  it('When the real API is made to answer an undocumented status, a body off its schema, an unlisted content type, a bad header, an undocumented property and a 5xx, then the fuzzer reports each as a defect of that operation', async () => {
    const pick = (test: (o: DocumentedOperation) => boolean) => {
      const found = operations.find(test);
      if (!found) throw new Error('The document has no operation to inject this defect into');
      return found;
    };
    const guarded = (o: DocumentedOperation) => o.security.length > 0;
    const statusOf = pick((o) => o.method === 'GET' && !o.pathNames.length && guarded(o));
    const bodyOf = pick((o) => o.method === 'GET' && o.pathNames.length > 0 && !!o.responses['200']?.content);
    const typeOf = pick((o) => o.method === 'GET' && o.pathNames.length > 0 && o !== bodyOf && !!o.responses['200']?.content);
    const headerOf = pick((o) => o.method === 'POST' && !!o.responses['201']?.headers?.Location);
    const serverOf = pick((o) => o.method === 'DELETE');
    // Closed to undocumented keys: a schema that no other extends through allOf (those stay open, see contract-schemas.ts).
    const extended = JSON.stringify(Object.values(document.components.schemas as Json).map((c: Json) => c.allOf ?? []));
    const closed = (o: DocumentedOperation) => !extended.includes(`"${o.responses['200']?.content?.['application/json']?.schema?.$ref}"`);
    const extraOf = pick((o) => o.method === 'GET' && !o.pathNames.length && guarded(o) && o !== statusOf && closed(o));
    const json = (answer: ProxiedAnswer, change: (body: Json) => Json) =>
      isJsonMedia(String(answer.headers['content-type'] ?? '')) ? { ...answer, body: Buffer.from(JSON.stringify(change(JSON.parse(answer.body.toString('utf8'))))) } : undefined;
    const proxy = await startTamperingProxy(api.base, (request, answer) => {
      const operation = operationFor(operations, request.method, request.path);
      if (operation === statusOf && answer.status === 200) return { ...answer, status: 299 };
      if (operation === bodyOf && answer.status === 200) return json(answer, (body) => ({ ...body, '@id': 42 }));
      if (operation === typeOf && answer.status === 200) return { ...answer, headers: { ...answer.headers, 'content-type': 'text/csv' } };
      if (operation === headerOf && answer.status === 201) return { ...answer, headers: { ...answer.headers, location: 'not a uri' } };
      if (operation === serverOf) return { ...answer, status: 503, body: Buffer.alloc(0) };
      if (operation === extraOf && answer.status === 200) return json(answer, (body) => ({ ...body, injected_by_the_test: true }));
      return undefined;
    });
    try {
      const injected = [statusOf, bodyOf, typeOf, headerOf, serverOf, extraOf];
      const run = await runContractFuzz({ api, base: proxy.base, seed: SEED, requests: 600, only: (o) => injected.some((i) => i.label === o.label) });
      const keys = [...run.log.defects.keys()];
      const reported = (pattern: RegExp) => keys.filter((key) => pattern.test(key));
      const label = (o: DocumentedOperation) => o.label.replace(/[{}[\]]/g, '\\$&');
      expect(reported(new RegExp(`^${label(statusOf)} \\| 299 \\| undocumented-status`))).toHaveLength(1);
      expect(reported(new RegExp(`^${label(bodyOf)} \\| 200 \\| body-schema \\| #/components/schemas/\\w+/properties/@id/type$`))).toHaveLength(1);
      expect(reported(new RegExp(`^${label(typeOf)} \\| 200 \\| content-type \\| text/csv$`))).toHaveLength(1);
      expect(reported(new RegExp(`^${label(headerOf)} \\| 201 \\| header-schema \\| Location `))).toHaveLength(1);
      expect(reported(new RegExp(`^${label(serverOf)} \\| 503 \\| server-error`))).toHaveLength(1);
      // Once per representation tampered with (compacted, and flattened when the run asked for it).
      expect(reported(new RegExp(`^${label(extraOf)} \\| 200 \\| undocumented-property \\| .*:injected_by_the_test$`)).length).toBeGreaterThanOrEqual(1);
      expect(run.summary()).toContain(`FUZZ_SEED=${SEED}`);
    } finally {
      await proxy.close();
    }
  }, FUZZ_TIMEOUT_MS);
});
