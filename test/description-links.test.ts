import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ResourceWorld, resourceNamed } from '../src/generators/resource-world.js';
import { fillPath, itemPattern, routesOf, type ResourceDescription } from '../src/resources/description.js';
import { resources } from '../src/resources/registry.js';
import { startApi, type Api } from './support/harness.js';

/**
 * Issue 16: the links inside representations come from the descriptions. This walks every
 * description's link properties (not the code that fills them), reads a real representation of
 * each class over HTTP, and checks that it carries every link, that its list items carry the
 * same ones, and that each leads somewhere: a GET target answers 200 with that @id, an action
 * link (POST only) exists and says so in its Allow header. A class with links and no sample
 * here fails the test; a class with a collection that has none of its own here gets one made from
 * its description (src/generators/resource-world.ts), so a new resource's links are checked from
 * its first commit.
 */

type Caller = Awaited<ReturnType<Api['partner']>>;
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let api: Api;
let owner: Caller;
let joiner: Caller;

/** Where to read one representation of a class, who reads it, and the collection that lists it. */
interface Sample {
  url: string;
  reader: Caller;
  list?: string;
}
const samples = new Map<string, Sample>();

async function created(by: Caller, url: string, body: object): Promise<Node> {
  const res = await api.http().post(url).set(by.auth).send(body);
  expect(res.status).toBe(201);
  return res.body;
}

async function read(by: Caller, url: string): Promise<Node> {
  const res = await api.http().get(url).set(by.auth);
  expect({ url, status: res.status }).toEqual({ url, status: 200 });
  return res.body;
}

beforeAll(async () => {
  api = await startApi({ rateLimits: { perCredential: 0, anonymous: 0 } });
  owner = await api.partner('Owner');
  joiner = await api.partner('Joiner');
  const member = await api.partner('Member');
  const invitee = await api.partner('Invitee');
  const tool = await api.partner('Tool');
  // Every partner of the harness has an example.com address: the joiner may join this one.
  const org = await created(owner, '/api/organizations', { name: 'Linked Co', auto_join_domains: ['example.com'] });
  const membership = await created(owner, org.all_members, { email: member.email, role: 'member' });
  const invitation = await created(owner, org.invitations, { email: invitee.email, role: 'member' });
  const integration = await created(owner, org.integrations, { partner: tool.email, scopes: ['organization:read'] });
  const events = await read(owner, org.audit_events);
  const joinable = await read(joiner, '/api/me/joinable_organizations');
  const feed = await read(owner, '/api/events');
  const endpoint = await created(owner, '/api/webhook_endpoints', { url: 'http://127.0.0.1:9/hooks', organization: org['@id'] });
  samples.set('EntryPoint', { url: '/api', reader: owner });
  samples.set('Partner', { url: '/api/me', reader: owner });
  samples.set('Organization', { url: org['@id'], reader: owner, list: '/api/organizations' });
  samples.set('Member', { url: membership['@id'], reader: owner, list: org.all_members });
  samples.set('Invitation', { url: invitation['@id'], reader: owner, list: org.invitations });
  samples.set('Integration', { url: integration['@id'], reader: owner, list: org.integrations });
  samples.set('AuditEvent', { url: events['hydra:member'][0]['@id'], reader: owner, list: org.audit_events });
  samples.set('Event', { url: feed['hydra:member'][0]['@id'], reader: owner, list: '/api/events' });
  samples.set('WebhookEndpoint', { url: endpoint['@id'], reader: owner, list: '/api/webhook_endpoints' });
  samples.set('JoinableOrganization', { url: joinable['hydra:member'][0]['@id'], reader: joiner, list: '/api/me/joinable_organizations' });
  // Any other class with a collection (one described since): an item made from its description, below the owner's organization.
  const world = new ResourceWorld(api, owner.auth, 'links');
  world.use(resourceNamed('Organization'), { id: org.id });
  for (const resource of resources.filter((r) => r.collectionPath && !samples.has(r.name))) {
    const params = await world.item(resource);
    samples.set(resource.name, { url: fillPath(itemPattern(resource), params), reader: owner, list: fillPath(resource.collectionPath!, params) });
  }
}, 60_000);
afterAll(() => api.close());

const linkKeys = (resource: ResourceDescription) => Object.entries(resource.properties).filter(([, p]) => p.link).map(([key]) => key);
const served = resources.filter((r) => routesOf(r).length > 0);

/** The methods a link's target offers, from the description: its own operations, or the target class's. */
function methodsAt(resource: ResourceDescription, key: string): string[] {
  const property = resource.properties[key];
  if (property.operations) return Object.keys(property.operations);
  return ['GET'];
}

describe('Links inside representations come from the descriptions', () => {
  it('When a served class has link properties, then this test has a representation of it to read', () => {
    const missing = served.filter((r) => linkKeys(r).length > 0 && !samples.has(r.name)).map((r) => r.name);
    expect(missing).toEqual([]);
  });

  it.each(served.filter((r) => linkKeys(r).length > 0).map((r) => [r.name, r] as const))(
    'When the owner reads a %s, then it and its list items carry every link property, and each link leads to its target',
    async (_name, resource) => {
      const sample = samples.get(resource.name)!;
      const node = await read(sample.reader, sample.url);
      expect(linkKeys(resource).filter((key) => typeof node[key] !== 'string')).toEqual([]);
      if (sample.list) {
        const listed = (await read(sample.reader, sample.list))['hydra:member'].find((item: Node) => item['@id'] === node['@id']);
        expect(Object.fromEntries(linkKeys(resource).map((key) => [key, listed?.[key]]))).toEqual(Object.fromEntries(linkKeys(resource).map((key) => [key, node[key]])));
      }
      for (const key of linkKeys(resource)) {
        const methods = methodsAt(resource, key);
        // The joinable organization's `organization` is readable by its owner, not yet by the joiner.
        const by = resource.name === 'JoinableOrganization' && key === 'organization' ? owner : sample.reader;
        const res = await api.http().get(node[key]).set(by.auth);
        if (methods.includes('GET')) {
          expect({ key, status: res.status, id: res.body['@id'] }).toEqual({ key, status: 200, id: node[key] });
        } else {
          expect({ key, status: res.status, allow: res.headers.allow }).toEqual({ key, status: 405, allow: methods.join(', ') });
        }
      }
    },
    60_000,
  );

  it('When an invitation is no longer pending, then its accept and revoke links are gone, as the description says', async () => {
    const invitation = await read(owner, samples.get('Invitation')!.url);
    expect(typeof invitation.accept).toBe('string');
    const revoked = await api.http().post(invitation.revoke).set(owner.auth);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect(revoked.body).not.toHaveProperty('accept');
    expect(revoked.body).not.toHaveProperty('revoke');
    expect(revoked.body.organization).toBe(invitation.organization);
  });
});
