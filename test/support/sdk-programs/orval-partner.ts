// A partner program over orval's fetch client (base URL taken from the document's `servers`).
import { getOrganizationCollection, getOrganizationItem, getPartnerItem, patchOrganizationItem, postInvitationCollection, postMemberCollection, postOrganizationCollection } from './orval/api.js';
import { afterCursor, ATTEMPTS_TO_BE_LIMITED, branchOn, env, report } from './partner-env.js';

const auth = { headers: { Authorization: `Bearer ${env.token}` } };

const created = await postOrganizationCollection({ name: `${env.label} One`, max_members: 50, members_can_invite: true, metadata: { crm: 'c-1' } }, auth);
if (created.status !== 201) throw new Error(`create: ${created.status}`);
const organization = created.data;
for (const name of ['Two', 'Three']) {
  const more = await postOrganizationCollection({ name: `${env.label} ${name}` }, auth);
  if (more.status !== 201) throw new Error(`create ${name}: ${more.status}`);
}

const read = await getOrganizationItem(organization.id, auth);
if (read.status !== 200) throw new Error(`read: ${read.status}`);

const listedIds: string[] = [];
let pagesRead = 0;
let after: string | undefined;
do {
  const page = await getOrganizationCollection({ itemsPerPage: 1, after }, auth);
  if (page.status !== 200) throw new Error(`list: ${page.status}`);
  pagesRead += 1;
  for (const item of page.data['hydra:member']) listedIds.push(item.id);
  const next = page.data['hydra:view']['hydra:next'];
  after = next === undefined ? undefined : afterCursor(next);
} while (after !== undefined);

const renamed = await patchOrganizationItem(organization.id, { name: `${env.label} Renamed` }, auth);
if (renamed.status !== 200) throw new Error(`rename: ${renamed.status}`);

const member = await postMemberCollection(organization.id, { email: env.memberEmail, role: 'admin' }, auth);
if (member.status !== 201) throw new Error(`add member: ${member.status}`);
const invitation = await postInvitationCollection(organization.id, { email: `invitee.${env.label.toLowerCase()}@example.com`, role: 'member' }, auth);
if (invitation.status !== 201) throw new Error(`invite: ${invitation.status}`);

const violationPaths: string[] = [];
const invalid = await postOrganizationCollection({ name: ' ', billing_email: 'not an email' }, auth);
if (invalid.status === 422) for (const violation of invalid.data.violations) violationPaths.push(violation.propertyPath);

const branches: string[] = [];
const taken = await postOrganizationCollection({ name: `${env.label} Copy`, slug: organization.slug }, auth);
if (taken.status === 409) branches.push(branchOn(taken.data.type));
const stale = await patchOrganizationItem(organization.id, { name: 'Never' }, { headers: { ...auth.headers, 'If-Match': '"not-the-current-version"' } });
if (stale.status === 412) branches.push(branchOn(stale.data.type));
for (let attempt = 0; attempt < ATTEMPTS_TO_BE_LIMITED; attempt++) {
  const me = await getPartnerItem({ headers: { Authorization: `Bearer ${env.limitedToken}` } });
  if (me.status === 429) {
    branches.push(branchOn(me.data.type));
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
