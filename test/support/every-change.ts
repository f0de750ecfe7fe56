import { expect } from '@jest/globals';
import type { Api } from './harness.js';

type Auth = Record<string, string>;
type Node = Record<string, any>;

const MERGE_PATCH = 'application/merge-patch+json';

/** A POST that must succeed (200 or 201): its answer's body. */
export async function post(api: Api, auth: Auth, url: string, body: object = {}): Promise<Node> {
  const res = await api.http().post(url).set(auth).send(body);
  expect([200, 201]).toContain(res.status);
  return res.body;
}

/** A JSON Merge Patch that must succeed: its answer's body. */
export async function patch(api: Api, auth: Auth, url: string, body: object): Promise<Node> {
  const res = await api.http().patch(url).set(auth).set('Content-Type', MERGE_PATCH).send(JSON.stringify(body));
  expect(res.status).toBe(200);
  return res.body;
}

async function remove(api: Api, auth: Auth, url: string): Promise<void> {
  expect((await api.http().delete(url).set(auth)).status).toBe(204);
}

/**
 * Takes a new organization of `owner` through every kind of change the audit trail records
 * (and so every event type), in this order: created, updated, member added, role changed,
 * removed, invitation created and accepted, another created and revoked, a member joined and
 * left, an integration installed, changed and disconnected, the organization deleted.
 * Each step must succeed. Returns the organization and the member it added.
 */
export async function everyKindOfChange(api: Api, owner: { auth: Auth }, name: string): Promise<{ org: Node; member: Node; added: { email: string } }> {
  const [added, invitee, revokee, joiner, crm] = await Promise.all([api.partner(), api.partner(), api.partner(), api.partner(), api.partner()]);
  const org = await post(api, owner.auth, '/api/organizations', { name });
  await patch(api, owner.auth, org['@id'], { name: `${name} Inc`, auto_join_domains: ['example.com'] });
  const member = await post(api, owner.auth, org.all_members, { email: added.email, role: 'member' });
  await patch(api, owner.auth, member['@id'], { role: 'admin' });
  await remove(api, owner.auth, member['@id']);
  const invitation = await post(api, owner.auth, org.invitations, { email: invitee.email, role: 'member' });
  await post(api, invitee.auth, invitation.accept);
  const revoked = await post(api, owner.auth, org.invitations, { email: revokee.email, role: 'member' });
  await post(api, owner.auth, revoked.revoke);
  const joined = await post(api, joiner.auth, `/api/me/joinable_organizations/${org.id}/join`);
  await remove(api, joiner.auth, joined['@id']);
  const integration = await post(api, owner.auth, org.integrations, { partner: crm.email, scopes: ['organization:read'] });
  await patch(api, owner.auth, integration['@id'], { scopes: ['organization:read', 'member:read'] });
  await remove(api, owner.auth, integration['@id']);
  await remove(api, owner.auth, org['@id']);
  return { org, member, added };
}
