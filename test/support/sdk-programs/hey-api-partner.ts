// A partner program over @hey-api/openapi-ts's SDK and its fetch client.
import { client } from './hey-api/client.gen.js';
import { getOrganizationCollection, getOrganizationItem, getPartnerItem, patchOrganizationItem, postInvitationCollection, postMemberCollection, postOrganizationCollection } from './hey-api/index.js';
import { createClient } from './hey-api/client/index.js';
import { afterCursor, ATTEMPTS_TO_BE_LIMITED, branchOn, env, report } from './partner-env.js';

client.setConfig({ baseUrl: env.api, auth: () => env.token });

const created = await postOrganizationCollection({ body: { name: `${env.label} One`, max_members: 50, members_can_invite: true, metadata: { crm: 'c-1' } } });
if (!created.data) throw new Error(`create: ${created.response.status}`);
const organization = created.data;
for (const name of ['Two', 'Three']) {
  const more = await postOrganizationCollection({ body: { name: `${env.label} ${name}` } });
  if (!more.data) throw new Error(`create ${name}: ${more.response.status}`);
}

const read = await getOrganizationItem({ path: { id: organization.id } });
if (!read.data) throw new Error(`read: ${read.response.status}`);

const listedIds: string[] = [];
let pagesRead = 0;
let after: string | undefined;
do {
  const page = await getOrganizationCollection({ query: { itemsPerPage: 1, after } });
  if (!page.data) throw new Error(`list: ${page.response.status}`);
  pagesRead += 1;
  for (const item of page.data['hydra:member']) listedIds.push(item.id);
  const next = page.data['hydra:view']['hydra:next'];
  after = next === undefined ? undefined : afterCursor(next);
} while (after !== undefined);

const renamed = await patchOrganizationItem({ path: { id: organization.id }, body: { name: `${env.label} Renamed` } });
if (!renamed.data) throw new Error(`rename: ${renamed.response.status}`);

const member = await postMemberCollection({ path: { organizationId: organization.id }, body: { email: env.memberEmail, role: 'admin' } });
if (!member.data) throw new Error(`add member: ${member.response.status}`);
const invitation = await postInvitationCollection({ path: { organizationId: organization.id }, body: { email: `invitee.${env.label.toLowerCase()}@example.com`, role: 'member' } });
if (!invitation.data) throw new Error(`invite: ${invitation.response.status}`);

const violationPaths: string[] = [];
const invalid = await postOrganizationCollection({ body: { name: ' ', billing_email: 'not an email' } });
if (invalid.error && 'violations' in invalid.error) for (const violation of invalid.error.violations) violationPaths.push(violation.propertyPath);

const branches: string[] = [];
const taken = await postOrganizationCollection({ body: { name: `${env.label} Copy`, slug: organization.slug } });
if (taken.error) branches.push(branchOn(taken.error.type));
const stale = await patchOrganizationItem({ path: { id: organization.id }, headers: { 'If-Match': '"not-the-current-version"' }, body: { name: 'Never' } });
if (stale.error) branches.push(branchOn(stale.error.type));
const limited = createClient({ baseUrl: env.api, auth: () => env.limitedToken });
for (let attempt = 0; attempt < ATTEMPTS_TO_BE_LIMITED; attempt++) {
  const me = await getPartnerItem({ client: limited });
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
