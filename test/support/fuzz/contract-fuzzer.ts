/**
 * The contract fuzzer: reads the served OpenAPI document, seeds real data through the API,
 * then sends at least `requests` requests spread evenly over every documented operation
 * (valid and hostile, as every kind of caller), follows the pagination links it gets, bursts
 * one token and no token past the rate limits, and checks every answer against the document.
 */
import { ContractSchemas } from './contract-schemas.js';
import { DefectLog, describeDefect, overview, type Sent } from './defects.js';
import { FuzzWorld } from './fuzz-world.js';
import { HttpClient, type Answer } from './http-exchange.js';
import { documentedOperations, documentedScopes, operationFor, type DocumentedOperation, type Json } from './openapi-operations.js';
import { createPrincipals, principalNamed, type Principal } from './principals.js';
import { planLink, planRequest, type PlanContext } from './request-plans.js';
import { checkAnswer } from './response-checker.js';
import { SeededRandom } from './seeded-random.js';
import { WorldSeeder } from './world-seeding.js';
import type { Api } from '../harness.js';

export const DOCUMENT_PATH = '/api/docs.json';
/** A fresh world (organization, members, invitations, integration) this often: destructive requests use up the old one. */
const RESEED_EVERY = 500;
/** Tries as the owner for an operation the run never saw succeed. */
const TOP_UP_TRIES = 80;
const FOLLOW_LINK_CHANCE = 0.15;
const BURST_CAP = 2000;

export interface FuzzOptions {
  /** The app under test: partners are made in its database. */
  api: Api;
  /** Where requests go, when not straight to the app (a proxy in front of it). */
  base?: string;
  seed: number;
  requests: number;
  /** The same app built with small rate limits, for the 429 burst. */
  limited?: Api;
  /** Fuzz only these operations (the fuzzer's own tests). */
  only?: (operation: DocumentedOperation) => boolean;
  /** Called with every exchange, for a trace of the run. */
  trace?: (sent: Sent, answer: Answer) => void;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  total: number;
  elapsedMs: number;
  operations: DocumentedOperation[];
  /** Per operation, how many answers of each status. */
  statuses: Map<string, Map<number, number>>;
  log: DefectLog;
  fuzzerErrors: string[];
  summary(): string;
  coverage(): string;
}

class Fuzzer {
  readonly log = new DefectLog();
  readonly statuses = new Map<string, Map<number, number>>();
  total = 0;

  constructor(
    readonly document: Json,
    readonly operations: DocumentedOperation[],
    readonly schemas: ContractSchemas,
    readonly world: FuzzWorld,
    private readonly trace?: (sent: Sent, answer: Answer) => void,
  ) {}

  async exchange(client: HttpClient, operation: DocumentedOperation, sent: Sent): Promise<Answer> {
    const answer = await client.send(sent.request);
    this.total++;
    this.trace?.(sent, answer);
    this.log.record(sent, answer, checkAnswer(operation, answer, this.schemas, this.document));
    this.world.observe(sent.principal, sent.request.method, sent.request.target, answer);
    const counts = this.statuses.get(operation.label) ?? new Map<number, number>();
    counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
    this.statuses.set(operation.label, counts);
    return answer;
  }

  /** A plain request (seeding, crawling), checked like the others. */
  async call(client: HttpClient, principal: Principal, method: string, target: string, body?: Json): Promise<{ status: number; body: any }> {
    const operation = operationFor(this.operations, method, target.split('?')[0]);
    if (!operation) throw new Error(`No documented operation for ${method} ${target}`);
    const headers = { ...principal.credential(new SeededRandom(this.total)), Accept: 'application/ld+json', ...(body ? { 'Content-Type': 'application/json' } : {}) };
    const answer = await this.exchange(client, operation, { operation: operation.label, principal: principal.name, intent: body ? 'seed' : 'crawl', request: { method, target, headers, body: body && Buffer.from(JSON.stringify(body)) } });
    const text = answer.body.toString('utf8');
    return { status: answer.status, body: text ? JSON.parse(text) : undefined };
  }
}

/** Each operation once per round, in a new order every round. */
function* schedule(operations: DocumentedOperation[], rng: SeededRandom): Generator<DocumentedOperation> {
  for (;;) yield* rng.some(operations, operations.length, operations.length);
}

async function burst(fuzzer: Fuzzer, limited: Api, ctx: PlanContext): Promise<void> {
  const client = new HttpClient(limited.base);
  try {
    const partner = await limited.partner('Fuzz burst');
    const token: Principal = { name: 'burst token', credential: () => ({ Authorization: `Bearer ${partner.token}` }) };
    const limitedTarget = fuzzer.operations.find((o) => o.method === 'GET' && !o.pathNames.length && o.security.length > 0);
    if (!limitedTarget) return;
    for (const principal of [token, ctx.principals.anonymous]) {
      for (let i = 0; i < BURST_CAP; i++) {
        const answer = await fuzzer.exchange(client, limitedTarget, { operation: limitedTarget.label, principal: principal.name, intent: 'burst', request: { method: 'GET', target: limitedTarget.path, headers: principal.credential(ctx.rng) } });
        if (answer.status === 429) break;
      }
      for (const operation of fuzzer.operations) {
        const sent = planRequest(operation, ctx, principal);
        await fuzzer.exchange(client, operation, { ...sent, intent: `after-burst ${sent.intent}` });
      }
    }
  } finally {
    client.close();
  }
}

export async function runContractFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const rng = new SeededRandom(options.seed);
  const client = new HttpClient(options.base ?? options.api.base);
  try {
    const fetched = await client.send({ method: 'GET', target: DOCUMENT_PATH, headers: { Accept: 'application/json' } });
    if (fetched.status !== 200) throw new Error(`GET ${DOCUMENT_PATH} answered ${fetched.status}`);
    const document: Json = JSON.parse(fetched.body.toString('utf8'));
    const base = options.base ?? options.api.base;
    if ((document.servers ?? []).some((s: Json) => new URL(s.url, base).pathname !== '/')) throw new Error('The document names servers with a base path: the fuzzer sends paths from the host root and needs teaching');
    const all = documentedOperations(document);
    const operations = all.filter(options.only ?? (() => true));
    if (!operations.length) throw new Error(`${DOCUMENT_PATH} has no operation to fuzz`);
    const schemas = new ContractSchemas(document);
    const world = new FuzzWorld(all, base);
    const fuzzer = new Fuzzer(document, all, schemas, world, options.trace);
    const principals = await createPrincipals(options.api, document, documentedScopes(all), rng);
    const ctx: PlanContext = { rng, schemas, world, principals, fuzzerErrors: new Set(), idempotency: new Map() };
    const seeder = new WorldSeeder(all, schemas, rng, (p, method, target, body) => fuzzer.call(client, p, method, target, body));

    let worlds = 0;
    let worldOrganization = '';
    const reseed = async () => {
      worldOrganization = await seeder.seed(principals, ++worlds);
      await seeder.crawl(principals.owner, [worldOrganization]);
      for (const p of [principals.stranger, principals.integration, principals.invitee, principals.admin]) await seeder.crawl(p, [], 10);
    };

    const next = schedule(operations, rng);
    for (let i = 0; i < options.requests; i++) {
      if (i % RESEED_EVERY === 0 || !worldOrganization) await reseed();
      const operation = next.next().value as DocumentedOperation;
      const links = operation.method === 'GET' ? world.links.filter((l) => operationFor(all, 'GET', l.target.replace(/^https?:\/\/[^/]+/, '').split('?')[0]) === operation) : [];
      const cursors = links.filter((l) => /[?&](after|before)=/.test(l.target));
      const link = links.length && rng.chance(FOLLOW_LINK_CHANCE) ? rng.pick(cursors.length && rng.chance(0.5) ? cursors : links) : undefined;
      const principal = link && principalNamed(principals, link.principal);
      const sent = link && principal ? planLink(operation, link, principal, ctx) : planRequest(operation, ctx);
      const answer = await fuzzer.exchange(client, operation, sent);
      if (sent.request.method === 'DELETE' && answer.status < 300 && worldOrganization === sent.request.target.split('?')[0]) worldOrganization = '';
    }
    // Chance decides which requests succeed: an operation this run never saw answer 2xx gets more
    // tries as the owner of a fresh world, so its success path is checked whatever the seed.
    const succeeded = (o: DocumentedOperation) => [...(fuzzer.statuses.get(o.label)?.keys() ?? [])].some((status) => status < 300);
    const unsucceeded = operations.filter((o) => !succeeded(o));
    if (unsucceeded.length) await reseed();
    for (const operation of unsucceeded) {
      for (let tries = 0; tries < TOP_UP_TRIES && !succeeded(operation); tries++) await fuzzer.exchange(client, operation, planRequest(operation, ctx, principals.owner));
    }
    if (options.limited) await burst(fuzzer, options.limited, ctx);
    return report(options, operations, fuzzer, [...ctx.fuzzerErrors], performance.now() - started);
  } finally {
    client.close();
  }
}

function report(options: FuzzOptions, operations: DocumentedOperation[], fuzzer: Fuzzer, fuzzerErrors: string[], elapsedMs: number): FuzzReport {
  const defects = fuzzer.log.sorted();
  return {
    seed: options.seed,
    requests: options.requests,
    total: fuzzer.total,
    elapsedMs,
    operations,
    statuses: fuzzer.statuses,
    log: fuzzer.log,
    fuzzerErrors,
    summary: () =>
      [
        `Contract fuzz of ${operations.length} operations from ${DOCUMENT_PATH}, seed ${options.seed} (replay with FUZZ_SEED=${options.seed}): ` +
          `${options.requests} fuzz requests (${fuzzer.total} with seeding, crawling and the rate-limit burst) in ${(elapsedMs / 1000).toFixed(1)} s; ` +
          `${defects.length} defects in ${fuzzer.log.mismatchingAnswers} mismatching answers.`,
        ...(defects.length ? ['By status, kind and place:', ...overview(defects), 'Each defect, with the first request that showed it:'] : []),
        ...defects.map(describeDefect),
      ].join('\n'),
    coverage: () =>
      operations
        .map((o) => {
          const counts = [...(fuzzer.statuses.get(o.label) ?? new Map<number, number>()).entries()].sort(([a], [b]) => a - b);
          return `${o.label}: ${counts.map(([status, n]) => `${status}x${n}`).join(' ')}`;
        })
        .join('\n'),
  };
}
