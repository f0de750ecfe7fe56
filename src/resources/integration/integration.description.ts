import type { ResourceDescription } from '../description.js';
import { NESTED_READ_PROBLEMS, NESTED_WRITE_PROBLEMS } from '../member/member.description.js';
import { ipRestrictedProperty } from '../organization/ip-allowlist.js';
import { partnerDescription } from '../partner/partner.description.js';
import { SCOPES } from '../partner/scopes.js';

export const MAX_CONFIG_KEYS = 25;

const dateTime = { '@type': 'xsd:dateTime' };
const at = (description: string) => ({ range: 'xsd:dateTime', description, schema: { type: 'string', format: 'date-time' }, jsonld: dateTime });

/** A partner integration installed into an organization, acting there within the scopes granted to it. */
export const integrationDescription: ResourceDescription = {
  name: 'Integration',
  title: 'Integration',
  description:
    "A partner integration installed into an organization: with its own token it acts there within the scopes granted to it, without being a member. Owners and admins install, change and disconnect it; a role grants only scopes whose every action it may do itself.",
  collectionPath: '/organizations/:organizationId/integrations',
  linkedFrom: { property: 'integrations', description: 'The partner integrations installed in the organization, with the scopes granted to each.' },
  summary: ['partner', 'scopes', 'created_at'],
  embeds: [partnerDescription],
  properties: {
    id: {
      iri: 'schema:identifier',
      range: 'xsd:string',
      description: 'Identifier of the installation (a UUID).',
      schema: { type: 'string', format: 'uuid' },
      identifier: true,
    },
    organization: {
      range: 'Organization',
      description: 'The organization it is installed in.',
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      identifier: true,
    },
    partner: {
      range: 'Partner',
      description: "The installed partner (id, email, name); on creation, that partner's id or email.",
      schema: { $ref: '#/$defs/EmbeddedPartner' },
      input: { type: 'string', minLength: 1, maxLength: 254, examples: ['sync@crm.example'] },
      writable: true,
      createOnly: true,
      required: true,
      trim: true,
    },
    scopes: {
      range: 'xsd:string',
      description: `What the integration may do in the organization, a non-empty set of token scopes (${SCOPES.join(', ')}); its token's own scopes apply too.`,
      schema: { type: 'array', items: { type: 'string', enum: [...SCOPES] }, minItems: 1, maxItems: SCOPES.length, uniqueItems: true, examples: [['organization:read']] },
      writable: true,
      required: true,
      jsonld: { '@container': '@set' },
    },
    config: {
      range: 'rdf:JSON',
      description: `The integration's own settings, such as an environment mapping: up to ${MAX_CONFIG_KEYS} string keys (at most 100 characters) with string values (at most 2000 characters). Not for secrets: members read it, and owners in the audit trail.`,
      schema: {
        type: 'object',
        maxProperties: MAX_CONFIG_KEYS,
        propertyNames: { type: 'string', minLength: 1, maxLength: 100 },
        additionalProperties: { type: 'string', maxLength: 2000 },
        default: {},
      },
      writable: true,
      jsonld: { '@type': '@json' },
    },
    ip_restricted: ipRestrictedProperty('the installation (at /api/me/installations)'),
    created_at: { ...at('When it was installed.'), iri: 'schema:dateCreated' },
    created_by: {
      range: 'Partner',
      description: 'The member who installed it (id, email, name).',
      schema: { $ref: '#/$defs/EmbeddedPartner' },
      absentWhen: 'When that partner no longer exists.',
    },
    updated_at: { ...at('When its scopes or config last changed.'), iri: 'schema:dateModified' },
  },
  operations: {
    collection: {
      GET: { title: "List the integrations installed in an organization (members)", scope: 'organization:read', returns: 'hydra:Collection', status: 200, possibleStatus: [200, ...NESTED_READ_PROBLEMS] },
      POST: {
        title: 'Install a partner integration with chosen scopes (owner or admin)',
        scope: 'organization:write',
        expects: 'Integration',
        returns: 'Integration',
        status: 201,
        possibleStatus: [201, ...NESTED_WRITE_PROBLEMS],
      },
    },
    item: {
      GET: { title: 'Read an installation (members, and the integration itself)', scope: 'organization:read', returns: 'Integration', status: 200, possibleStatus: [200, ...NESTED_READ_PROBLEMS] },
      PATCH: {
        title: "Change an integration's scopes or config (JSON Merge Patch; owner or admin)",
        scope: 'organization:write',
        expects: 'Integration',
        returns: 'Integration',
        status: 200,
        possibleStatus: [200, ...NESTED_WRITE_PROBLEMS.filter((s) => s !== 409)],
        accepts: ['application/merge-patch+json'],
      },
      DELETE: { title: 'Disconnect the integration (owner or admin, or the integration itself)', scope: 'organization:write', returns: 'owl:Nothing', status: 204, possibleStatus: [204, 403, 404] },
    },
  },
};
