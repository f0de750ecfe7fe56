import { orderVariable, type ResourceDescription } from '../description.js';
import { memberDescription } from '../member/member.description.js';
import { ipRestrictedProperty } from './ip-allowlist.js';

const emailSchema = { type: 'string', format: 'email', maxLength: 254 };
const dateTime = { '@type': 'xsd:dateTime' };
const set = { '@container': '@set' };
// 403: a role without the right, or a token without the scope.
const readProblems = [403, 404];
const writeProblems = [403, 404, 422];

/** Embedded members follow the members collection's rule (seesMembers), owners with them. */
const LEFT_OUT =
  'Left out (members and owners alike) when the caller may not read the members collection: its token lacks member:read, or it is an integration not granted member:read.';

/** Embedded members are capped; the full list is the members collection. */
export const EMBEDDED_MEMBERS_CAP = 100;

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
export const SLUG_MAX_LENGTH = 100;

export const organizationDescription: ResourceDescription = {
  name: 'Organization',
  iri: 'schema:Organization',
  title: 'Organization',
  description: 'An organization managed through the API; the partner that creates it becomes its first owner.',
  collectionPath: '/organizations',
  embeds: [memberDescription],
  summary: ['name', 'slug', 'member_count', 'created_at'],
  search: {
    name: { property: 'name', description: 'Only organizations whose name contains this text, without regard to case.', schema: { type: 'string', minLength: 1, maxLength: 200 } },
    'order[name]': orderVariable('name', 'Sort by name'),
    'order[created_at]': orderVariable('created_at', 'Sort by creation time, oldest first by default'),
  },
  properties: {
    id: {
      iri: 'schema:identifier',
      range: 'xsd:string',
      description: 'Identifier of the organization (a UUID).',
      schema: { type: 'string', format: 'uuid' },
      identifier: true,
    },
    name: {
      iri: 'schema:name',
      range: 'xsd:string',
      description: 'Display name, 1 to 4000 characters after trimming.',
      schema: { type: 'string', minLength: 1, maxLength: 4000, examples: ['Acme Corp'] },
      writable: true,
      required: true,
      trim: true,
    },
    slug: {
      range: 'xsd:string',
      description: 'Unique handle of lower-case letters, digits and single hyphens; generated from the name when not given.',
      schema: { type: 'string', minLength: 1, maxLength: SLUG_MAX_LENGTH, pattern: SLUG_PATTERN },
      writable: true,
      notNull: true,
      trim: true,
    },
    metadata: {
      range: 'rdf:JSON',
      description: "Partner's own references: up to 25 string keys (at most 40 characters) with string values (at most 600 characters).",
      schema: {
        type: 'object',
        maxProperties: 25,
        propertyNames: { type: 'string', minLength: 1, maxLength: 40 },
        additionalProperties: { type: 'string', maxLength: 600 },
        default: {},
      },
      writable: true,
      jsonld: { '@type': '@json' },
    },
    billing_email: {
      range: 'xsd:string',
      description: 'Where invoices and billing notices go.',
      schema: emailSchema,
      writable: true,
      trim: true,
      changePermission: 'organization:update-billing',
    },
    security_contact: {
      range: 'xsd:string',
      description: 'Email address that receives security notices for the organization.',
      schema: emailSchema,
      writable: true,
      trim: true,
    },
    language: {
      range: 'xsd:language',
      description: 'Preferred language, as a BCP 47 tag (e.g. en, fr-CA).',
      schema: { type: 'string', format: 'bcp47', maxLength: 35 },
      writable: true,
      trim: true,
    },
    invites_enabled: {
      range: 'xsd:boolean',
      description: 'Whether new invitations may be sent (default true).',
      schema: { type: 'boolean', default: true },
      writable: true,
    },
    members_can_invite: {
      range: 'xsd:boolean',
      description: 'Whether plain members may invite others as members (default false).',
      schema: { type: 'boolean', default: false },
      writable: true,
    },
    ip_allowlist: {
      range: 'xsd:string',
      description:
        'IPv4 or IPv6 networks in CIDR notation allowed to act for the organization (at most 100). When not empty, a request that acts on the organization or anything under it must come from an address inside one of them (the client address as TRUST_PROXY defines it), else it is a 403 ip-not-allowed; a list that leaves out the address of the request setting it is refused (422), and an operator can clear it with the CLI.',
      schema: { type: 'array', maxItems: 100, items: { type: 'string', format: 'cidr', maxLength: 43 }, default: [] },
      writable: true,
      jsonld: set,
    },
    auto_join_domains: {
      range: 'xsd:string',
      description:
        "Email domains whose partners may join without an invitation (at most 100), compared without regard to case: they find the organization at /api/me's joinable_organizations and join it as member, within max_members. Not for personal organizations. Changing it admits members, so it needs member:add as well as organization:update.",
      schema: {
        type: 'array',
        maxItems: 100,
        uniqueItems: true,
        items: { type: 'string', format: 'hostname', pattern: '\\.', maxLength: 253 },
        default: [],
      },
      writable: true,
      jsonld: set,
      changePermission: ['organization:update', 'member:add'],
    },
    max_members: {
      range: 'xsd:integer',
      description:
        'Most members plus pending invitations the organization may have; 0 means no limit (default). Accepting an invitation needs room among members only (its place was held while pending). Lowering it removes nobody.',
      schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 1000000, default: 0 },
      writable: true,
    },
    is_personal: {
      range: 'xsd:boolean',
      description: "A personal organization has exactly one member, its owner; set only at creation (default false), at most one per partner.",
      schema: { type: 'boolean', default: false },
      writable: true,
      createOnly: true,
    },
    member_count: {
      range: 'xsd:integer',
      description: `How many members the organization has; \`members\` embeds at most ${EMBEDDED_MEMBERS_CAP} of them.`,
      schema: { type: 'integer' },
    },
    owners: {
      range: 'Member',
      description: `Members holding the owner role. ${LEFT_OUT}`,
      schema: { type: 'array', items: { $ref: '#/$defs/Member' } },
      absentWhen: LEFT_OUT,
      jsonld: set,
    },
    members: {
      // Our own term, not schema:member: a Member is a membership (role, start date, the
      // partner's email and name in one node), which schema.org would put in a Role between.
      range: 'Member',
      description: `Members, owners first, at most ${EMBEDDED_MEMBERS_CAP}: all_members has every one. ${LEFT_OUT}`,
      schema: { type: 'array', items: { $ref: '#/$defs/Member' } },
      absentWhen: LEFT_OUT,
      jsonld: set,
    },
    // Its collection links (all_members, invitations, integrations, audit_events) are declared by those collections (`linkedFrom`).
    ip_restricted: ipRestrictedProperty('the organization'),
    created_at: {
      iri: 'schema:dateCreated',
      range: 'xsd:dateTime',
      description: 'When the organization was created (ISO 8601, UTC).',
      schema: { type: 'string', format: 'date-time' },
      jsonld: dateTime,
    },
    updated_at: {
      iri: 'schema:dateModified',
      range: 'xsd:dateTime',
      description: 'When the organization was last changed (ISO 8601, UTC).',
      schema: { type: 'string', format: 'date-time' },
      jsonld: dateTime,
    },
  },
  operations: {
    collection: {
      GET: { title: 'List the organizations the caller belongs to', scope: 'organization:read', returns: 'hydra:Collection', cursors: true, status: 200, possibleStatus: [200, 403] },
      POST: {
        title: 'Create an organization; the caller becomes its owner',
        scope: 'organization:write',
        expects: 'Organization',
        returns: 'Organization',
        status: 201,
        possibleStatus: [201, ...writeProblems.filter((s) => s !== 404), 409],
      },
    },
    item: {
      GET: { title: 'Read an organization', scope: 'organization:read', returns: 'Organization', status: 200, possibleStatus: [200, ...readProblems] },
      PATCH: {
        title: 'Change an organization (JSON Merge Patch)',
        scope: 'organization:write',
        expects: 'Organization',
        returns: 'Organization',
        status: 200,
        possibleStatus: [200, ...writeProblems, 409],
        accepts: ['application/merge-patch+json'],
      },
      DELETE: { title: 'Delete an organization (owner)', scope: 'organization:write', returns: 'owl:Nothing', status: 204, possibleStatus: [204, 403, 404] },
    },
  },
};
