import type { ResourceDescription } from '../description.js';

/** The API's root: links to every top-level collection. Public. */
export const entrypointDescription: ResourceDescription = {
  name: 'EntryPoint',
  iri: 'hydra:EntryPoint',
  title: 'The API entrypoint',
  description: 'Where a client starts: links to every collection the API offers.',
  path: '',
  properties: {
    organizations: {
      range: 'hydra:Collection',
      description: 'The organizations the caller belongs to.',
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      collectionOf: 'Organization',
    },
    events: {
      range: 'hydra:Collection',
      description: "The changes of the caller's organizations it may read, oldest first: a feed to resume from a cursor.",
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      collectionOf: 'Event',
    },
    webhook_endpoints: {
      range: 'hydra:Collection',
      description: "The caller's webhook endpoints: URLs that receive its events as signed POSTs.",
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      collectionOf: 'WebhookEndpoint',
    },
    me: {
      range: 'Partner',
      description: 'The caller: who the token belongs to, with links to its organizations and pending invitations.',
      schema: { type: 'string', format: 'iri-reference' },
      link: true,
      itemOf: 'Partner',
    },
  },
  operations: {
    item: {
      GET: { title: 'Read the entrypoint', returns: 'EntryPoint', status: 200, possibleStatus: [200], public: true },
    },
  },
};
