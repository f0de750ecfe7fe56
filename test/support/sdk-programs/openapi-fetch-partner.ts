// A partner program over openapi-typescript's types and openapi-fetch.
import createClient from 'openapi-fetch';
import type { paths } from './openapi-typescript/schema.js';
import { afterCursor, ATTEMPTS_TO_BE_LIMITED, branchOn, env, report } from './partner-env.js';

const auth = { Authorization: `Bearer ${env.token}` };
const client = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl: env.api, headers: auth });
const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };

const created = await client.POST('/api/organizations', { body: { name: `${env.label} One`, max_members: 50, members_can_invite: true, metadata: { crm: 'c-1' } } });
if (!created.data) throw new Error(`create: ${created.response.status}`);
const organization = created.data;
for (const name of ['Two', 'Three']) {
  const more = await client.POST('/api/organizations', { body: { name: `${env.label} ${name}` } });
  if (!more.data) throw new Error(`create ${name}: ${more.response.status}`);
}

const read = await client.GET('/api/organizations/{id}', { params: { path: { id: organization.id } } });
if (!read.data) throw new Error(`read: ${read.response.status}`);

const listedIds: string[] = [];
let pagesRead = 0;
let after: string | undefined;
do {
  const page = await client.GET('/api/organizations', { params: { query: { itemsPerPage: 1, after } } });
  if (!page.data) throw new Error(`list: ${page.response.status}`);
  pagesRead += 1;
  for (const item of page.data['hydra:member']) listedIds.push(item.id);
  const next = page.data['hydra:view']['hydra:next'];
  after = next === undefined ? undefined : afterCursor(next);
} while (after !== undefined);

const renamed = await client.PATCH('/api/organizations/{id}', { params: { path: { id: organization.id } }, headers: MERGE_PATCH, body: { name: `${env.label} Renamed` } });
if (!renamed.data) throw new Error(`rename: ${renamed.response.status}`);

const member = await client.POST('/api/organizations/{organizationId}/members', { params: { path: { organizationId: organization.id } }, body: { email: env.memberEmail, role: 'admin' } });
if (!member.data) throw new Error(`add member: ${member.response.status}`);
const invitation = await client.POST('/api/organizations/{organizationId}/invitations', { params: { path: { organizationId: organization.id } }, body: { email: `invitee.${env.label.toLowerCase()}@example.com`, role: 'member' } });
if (!invitation.data) throw new Error(`invite: ${invitation.response.status}`);

const violationPaths: string[] = [];
const invalid = await client.POST('/api/organizations', { body: { name: ' ', billing_email: 'not an email' } });
if (invalid.error && 'violations' in invalid.error) for (const violation of invalid.error.violations) violationPaths.push(violation.propertyPath);

const branches: string[] = [];
const taken = await client.POST('/api/organizations', { body: { name: `${env.label} Copy`, slug: organization.slug } });
if (taken.error) branches.push(branchOn(taken.error.type));
const stale = await client.PATCH('/api/organizations/{id}', { params: { path: { id: organization.id }, header: { 'If-Match': '"not-the-current-version"' } }, headers: MERGE_PATCH, body: { name: 'Never' } });
if (stale.error) branches.push(branchOn(stale.error.type));
const limited = createClient<paths, 'application/json' | 'application/problem+json'>({ baseUrl: env.api, headers: { Authorization: `Bearer ${env.limitedToken}` } });
for (let attempt = 0; attempt < ATTEMPTS_TO_BE_LIMITED; attempt++) {
  const me = await limited.GET('/api/me');
  if (me.error) {
    branches.push(branchOn(me.error.type));
    break;
  }
}

report({
  createdName: organization.name,
  readName: read.data.name,
  listedIds,
  pagesRead,
  renamedTo: renamed.data.name,
  settingsAfterRename: { max_members: renamed.data.max_members, members_can_invite: renamed.data.members_can_invite, crm: renamed.data.metadata.crm },
  memberRole: member.data.role,
  invitationStatus: invitation.data.status,
  violationPaths,
  branches,
});
