/**
 * Real data to fuzz, made through the API itself, following its links: an organization of the
 * owner's with an admin, a member, invitations and an installed integration, and one of the
 * stranger's that invites the invitee too. Then a crawl as several partners from every parameterless GET of the document,
 * so the world learns the IRIs (and so the ids) each can reach.
 */
import type { ContractSchemas } from './contract-schemas.js';
import type { DocumentedOperation, Json } from './openapi-operations.js';
import { operationFor } from './openapi-operations.js';
import type { Principal, Principals } from './principals.js';
import { validValue } from './schema-values.js';
import type { SeededRandom } from './seeded-random.js';

/** Sends a request as a partner through the fuzzer (so it is checked like any other) and returns the answer's status and body. */
export type Call = (principal: Principal, method: string, target: string, body?: Json) => Promise<{ status: number; body: any }>;

const CRAWL_REQUESTS_PER_PRINCIPAL = 40;

export class WorldSeeder {
  constructor(
    private readonly operations: DocumentedOperation[],
    private readonly schemas: ContractSchemas,
    private readonly rng: SeededRandom,
    private readonly call: Call,
  ) {}

  /** A body for the operation: its required properties generated from its schema, then the given values; checked against the schema. */
  private body(method: string, target: string, values: Json): Json {
    const operation = operationFor(this.operations, method, target);
    const content = operation?.requestBody?.content ?? {};
    const type = content['application/json'] ? 'application/json' : Object.keys(content)[0];
    if (!operation || !type) throw new Error(`Seeding needs a documented ${method} ${target} with a body`);
    const schema = content[type].schema ?? {};
    const required = validValue(schema, { rng: this.rng, schemas: this.schemas, seen: () => [], optional: 0 });
    const body = { ...(required?.value as Json), ...values };
    if (!this.schemas.validator(schema)(body)) throw new Error(`Seeding body for ${method} ${target} is not valid by the document: ${JSON.stringify(body)}`);
    return body;
  }

  private async create(principal: Principal, target: string, values: Json): Promise<Json> {
    const answer = await this.call(principal, 'POST', target, this.body('POST', target, values));
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`Seeding POST ${target} as ${principal.name} got ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.body;
  }

  private async entrypoint(principal: Principal): Promise<Json> {
    const entry = this.operations.find((o) => o.method === 'GET' && !o.pathNames.length && o.security.length === 0);
    if (!entry) throw new Error('The document has no public entrypoint to start from');
    return (await this.call(principal, 'GET', entry.path)).body;
  }

  /** Returns the owner's organization IRI. */
  async seed(p: Principals, world: number): Promise<string> {
    const organizations = (await this.entrypoint(p.owner)).organizations as string;
    const org = await this.create(p.owner, organizations, { name: `Fuzz World ${world} ${this.rng.int(0, 1e6)}` });
    await this.create(p.owner, org.all_members, { email: p.admin.email, role: 'admin' });
    await this.create(p.owner, org.all_members, { email: p.member.email, role: 'member' });
    await this.create(p.owner, org.invitations, { email: p.invitee.email, role: this.rng.pick(['member', 'billing', 'admin']) });
    await this.create(p.owner, org.invitations, { email: `someone.${world}.${this.rng.int(0, 1e6)}@elsewhere.example`, role: 'admin' });
    await this.create(p.owner, org.integrations, { partner: p.integration.email, scopes: p.integrationScopes });
    // Joinable by the invitee's email domain, so joining (and being refused a second join) is exercised too.
    const joinable = p.invitee.email ? { auto_join_domains: [p.invitee.email.split('@')[1]] } : {};
    const foreign = await this.create(p.stranger, organizations, { name: `Stranger World ${world} ${this.rng.int(0, 1e6)}`, ...joinable });
    await this.create(p.stranger, foreign.invitations, { email: p.invitee.email, role: 'member' });
    // A webhook endpoint on a receiver the test harness allows (127.0.0.1): its url is then a
    // value seen in answers, which the fuzzer reuses, as generated https URLs resolve nowhere here.
    const webhooks = (await this.entrypoint(p.owner)).webhook_endpoints as string | undefined;
    if (webhooks) await this.create(p.owner, webhooks, { url: `http://127.0.0.1:9/fuzz-${world}`, organization: org['@id'] });
    return org['@id'];
  }

  /** Follows every link a partner's answers hold to a documented GET, breadth first from `starts`, then from every parameterless GET, a bounded number of requests. */
  async crawl(principal: Principal, starts: string[] = [], budget = CRAWL_REQUESTS_PER_PRINCIPAL): Promise<void> {
    const queue = [...starts, ...this.operations.filter((o) => o.method === 'GET' && !o.pathNames.length).map((o) => o.path)];
    const visited = new Set<string>(queue);
    for (let sent = 0; queue.length && sent < budget; sent++) {
      const target = queue.shift()!;
      const { status, body } = await this.call(principal, 'GET', target);
      if (status !== 200) continue;
      for (const link of links(body)) {
        const path = link.replace(/^https?:\/\/[^/]+/, '');
        const operation = operationFor(this.operations, 'GET', path.split('?')[0]);
        for (const next of operation ? [path, ...smallestPages(operation, path)] : []) {
          if (visited.has(next)) continue;
          visited.add(next);
          queue.push(next);
        }
      }
    }
  }
}

/**
 * The same collection in the smallest pages the document allows (a bounded integer query
 * parameter at its minimum), so that even small collections have next pages, and cursors, to follow.
 */
function smallestPages(operation: DocumentedOperation, path: string): string[] {
  if (path.includes('?')) return [];
  const bounded = operation.parameters.filter((p) => p.in === 'query' && p.schema.type === 'integer' && p.schema.minimum !== undefined && p.schema.maximum !== undefined);
  return bounded.map((p) => `${path}?${encodeURIComponent(p.name)}=${p.schema.minimum}`);
}

function links(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(links);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(links);
  return typeof value === 'string' && /^(https?:\/\/[^/]+)?\/[^/]/.test(value) ? [value] : [];
}
