/**
 * `npm run examples`: records one real answer per operation into schemas/examples/, which the
 * OpenAPI document serves as the success response's example. The service runs in this process
 * on a fresh SQLite file, a small world is made through its own HTTP API (an organization with
 * members, invitations and an integration, one organization joinable by email domain), and each
 * operation is called once as a partner allowed to do it. An operation the walk does not name
 * (a resource described since) is recorded from a world made from its description
 * (resource-world.ts), as the owner. Ids and times are whatever that run made; the origin is
 * written as http://localhost:3000, as in the README.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import { HTTP_DEFAULTS } from '../config.js';
import { ApiServer } from '../http/server.js';
import { openDatabase } from '../persistence/database.js';
import { PROJECT_ROOT } from '../project-root.js';
import { createPartner } from '../resources/partner/partner-use-cases.js';
import { fillPath, routesOf, type HttpMethod, type OperationDescription } from '../resources/description.js';
import { resources } from '../resources/registry.js';
import { readWebhookSettings } from '../resources/webhook/webhook-settings.js';
import { operationId } from './openapi-paths.js';
import { exampleBody, resourceNamed, ResourceWorld } from './resource-world.js';
import { EXAMPLES_DIR, EXAMPLE_ORIGIN } from './openapi-examples.js';

type Json = Record<string, any>;

interface Caller {
  email: string;
  auth: Record<string, string>;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linked-orgs-examples-'));
  const { database } = await openDatabase({ url: `sqlite:${path.join(dir, 'examples.sqlite')}` });
  const app = buildApp({ db: database, logger: pino({ level: 'silent' }), rateLimits: { perCredential: 0, anonymous: 0 }, webhooks: readWebhookSettings({ WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }) });
  const { server } = new ApiServer(app, { timeouts: HTTP_DEFAULTS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const recorded: Record<string, Json> = {};

  const partner = async (email: string, name: string): Promise<Caller> => {
    const created = await createPartner(database, { email, name });
    return { email, auth: { Authorization: `Bearer ${created.token}` } };
  };
  /** Calls the API and records the answer as the example of `operationId` (expecting `status`). */
  const call = async (operationId: string, as: Caller, method: string, target: string, status: number, body?: Json): Promise<Json> => {
    const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
    const res = await fetch(new URL(target, base), { method, headers: { ...as.auth, Accept: 'application/ld+json', ...(body ? { 'Content-Type': contentType } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (res.status !== status) throw new Error(`${operationId}: ${method} ${target} answered ${res.status}, not ${status}: ${text.slice(0, 300)}`);
    const answer = text ? (JSON.parse(text.split(base).join(EXAMPLE_ORIGIN)) as Json) : {};
    if (text) recorded[operationId] = answer;
    return answer;
  };

  try {
    const owner = await partner('owner@acme.example', 'Acme Owner');
    const admin = await partner('admin@acme.example', 'Acme Admin');
    const member = await partner('dev@acme.example', 'Acme Developer');
    const invitee = await partner('new.hire@acme.example', 'New Hire');
    const integration = await partner('sync@crm.example', 'CRM Sync');
    const neighbour = await partner('owner@globex.example', 'Globex Owner');

    await call('getEntryPointItem', owner, 'GET', '/api', 200);
    const org = await call('postOrganizationCollection', owner, 'POST', '/api/organizations', 201, { name: 'Acme Corp', metadata: { crm_id: 'C-42' } });
    await call('getOrganizationItem', owner, 'GET', org['@id'], 200);
    await call('patchOrganizationItem', owner, 'PATCH', org['@id'], 200, { name: 'Acme Corporation' });
    const added = await call('postMemberCollection', owner, 'POST', org.all_members, 201, { email: admin.email, role: 'admin' });
    await call('postMemberCollection', owner, 'POST', org.all_members, 201, { email: member.email, role: 'member' });
    await call('getMemberCollection', owner, 'GET', org.all_members, 200);
    await call('getMemberItem', owner, 'GET', added['@id'], 200);
    await call('patchMemberItem', owner, 'PATCH', added['@id'], 200, { role: 'billing' });
    const invitation = await call('postInvitationCollection', owner, 'POST', org.invitations, 201, { email: invitee.email, role: 'member' });
    await call('getInvitationItem', owner, 'GET', invitation['@id'], 200);
    const other = await call('postInvitationCollection', owner, 'POST', org.invitations, 201, { email: 'contractor@example.org', role: 'member' });
    await call('postInvitationRevoke', owner, 'POST', other.revoke, 200);
    await call('getInvitationCollection', owner, 'GET', org.invitations, 200);
    await call('getPartnerInvitations', invitee, 'GET', '/api/me/invitations', 200);
    await call('postInvitationAccept', invitee, 'POST', invitation.accept, 200);
    const installed = await call('postIntegrationCollection', owner, 'POST', org.integrations, 201, { partner: integration.email, scopes: ['organization:read', 'member:read'], config: { environment: 'production' } });
    await call('getIntegrationCollection', owner, 'GET', org.integrations, 200);
    await call('getIntegrationItem', owner, 'GET', installed['@id'], 200);
    await call('patchIntegrationItem', owner, 'PATCH', installed['@id'], 200, { config: { environment: 'staging' } });
    await call('getPartnerInstallations', integration, 'GET', '/api/me/installations', 200);
    await call('getPartnerItem', owner, 'GET', '/api/me', 200);
    await call('getOrganizationCollection', owner, 'GET', '/api/organizations', 200);
    const audit = await call('getAuditEventCollection', owner, 'GET', org.audit_events, 200);
    await call('getAuditEventItem', owner, 'GET', audit['hydra:member'][0]['@id'], 200);
    const events = await call('getEventCollection', owner, 'GET', '/api/events?itemsPerPage=3', 200);
    await call('getEventItem', owner, 'GET', events['hydra:member'][2]['@id'], 200);
    const endpoint = await call('postWebhookEndpointCollection', integration, 'POST', '/api/webhook_endpoints', 201, { url: 'http://127.0.0.1:8080/hooks', events: ['member.added', 'member.removed'], organization: org['@id'] });
    await call('getWebhookEndpointCollection', integration, 'GET', '/api/webhook_endpoints', 200);
    await call('getWebhookEndpointItem', integration, 'GET', endpoint['@id'], 200);
    await call('patchWebhookEndpointItem', integration, 'PATCH', endpoint['@id'], 200, { events: ['member.added'] });
    await call('postWebhookEndpointRotate_secret', integration, 'POST', endpoint.rotate_secret, 200);
    await call('getWebhookEndpointDeliveries', integration, 'GET', endpoint.deliveries, 200);
    await call('postOrganizationCollection', neighbour, 'POST', '/api/organizations', 201, { name: 'Acme Partners Club', auto_join_domains: ['acme.example'] });
    const joinable = await call('getJoinableOrganizationCollection', member, 'GET', '/api/me/joinable_organizations', 200);
    const first = joinable['hydra:member'][0];
    await call('getJoinableOrganizationItem', member, 'GET', first['@id'], 200);
    await call('postJoinableOrganizationJoin', member, 'POST', first.join, 201);
    await recordTheRest(new ResourceWorld({ base, db: database }, owner.auth, 'example'), owner, recorded, call);

    // Another folder may be given (the tests compare a fresh recording with the committed one).
    const out = process.argv[2] ? path.resolve(process.argv[2]) : path.join(PROJECT_ROOT, EXAMPLES_DIR);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const [operationId, answer] of Object.entries(recorded).sort(([a], [b]) => a.localeCompare(b))) {
      writeFileSync(path.join(out, `${operationId}.json`), `${JSON.stringify(answer, null, 2)}\n`);
    }
    console.log(`recorded ${Object.keys(recorded).length} examples in ${path.relative(PROJECT_ROOT, out) || out}/`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Call = (operationId: string, as: Caller, method: string, target: string, status: number, body?: Json) => Promise<Json>;

/** Every operation with an answer body that the walk did not record, called once in a world made from the descriptions. */
async function recordTheRest(world: ResourceWorld, owner: Caller, recorded: Record<string, Json>, call: Call): Promise<void> {
  for (const resource of resources) {
    for (const route of routesOf(resource)) {
      for (const [method, operation] of Object.entries(route.operations) as [HttpMethod, OperationDescription][]) {
        const id = operationId({ resource, route, method });
        if (recorded[id] || operation.returns === 'owl:Nothing') continue;
        const params = await world.paramsOf(resource, route);
        const expects = operation.expects && resourceNamed(operation.expects);
        const body = !expects ? undefined : method === 'PATCH' ? exampleBody(expects, 'update') : await world.body(expects);
        await call(id, owner, method, fillPath(route.path, params), operation.status, body);
      }
    }
  }
}

await main();
