import { MAX_LISTED_VIOLATIONS } from '../../problems/app-error.js';
import { VIOLATION_CODES } from '../../problems/violation.js';
import type { ResourceDescription } from '../description.js';

/** Every error is an RFC 9457 problem document, typed hydra:Error for linked-data clients. */
export const errorDescription: ResourceDescription = {
  name: 'Error',
  iri: 'hydra:Error',
  title: 'Error',
  description: 'An RFC 9457 problem document.',
  properties: {
    type: {
      iri: 'problemType',
      // Any IRI: a plain IRI-valued property, not a hydra:Link (which ranges over a class).
      range: 'rdfs:Resource',
      description: 'URI identifying the kind of problem; it leads to a description of it.',
      schema: { type: 'string', format: 'uri' },
      link: true,
    },
    title: {
      iri: 'hydra:title',
      range: 'xsd:string',
      description: 'Short summary of the kind of problem.',
      schema: { type: 'string' },
    },
    status: {
      iri: 'hydra:statusCode',
      range: 'xsd:integer',
      description: 'The HTTP status code.',
      schema: { type: 'integer' },
    },
    detail: {
      iri: 'hydra:description',
      range: 'xsd:string',
      description: 'What went wrong with this request, in words.',
      schema: { type: 'string' },
    },
    instance: {
      range: 'rdfs:Resource',
      description: 'The request path that met the problem.',
      schema: { type: 'string', format: 'uri-reference' },
      link: true,
    },
    request_id: {
      range: 'xsd:string',
      description: 'The X-Request-Id of the request, to quote when asking for help.',
      schema: { type: 'string' },
    },
  },
  operations: {},
};

export const constraintViolationDescription: ResourceDescription = {
  name: 'ConstraintViolation',
  title: 'Constraint violation',
  description: 'One reason why the submitted data is invalid.',
  embeddedOnly: true,
  properties: {
    propertyPath: {
      range: 'xsd:string',
      description: 'Where the problem is, written as `name`, `metadata.crm_id` or `ip_allowlist[1]`.',
      schema: { type: 'string' },
    },
    message: {
      range: 'xsd:string',
      description: 'What is wrong, in words.',
      schema: { type: 'string' },
    },
    code: {
      range: 'xsd:string',
      description: 'Stable machine-readable code of the rule that failed; each problem type\'s page (/api/errors/<slug>) lists its codes and what they mean.',
      // Every code the API answers (src/problems/violation.ts), so a client may branch on them and the contract tests see a new one.
      schema: { type: 'string', enum: [...VIOLATION_CODES] },
    },
    hint: {
      range: 'xsd:string',
      description: 'How to send a valid value.',
      schema: { type: 'string' },
      absentWhen: 'When there is nothing more to say than the message.',
    },
    payload: {
      range: 'rdf:JSON',
      description: 'Parameters of the rule that failed (a limit, the allowed values ...).',
      schema: { type: 'object' },
      jsonld: { '@type': '@json' },
      absentWhen: 'When the rule has no parameters.',
    },
  },
  operations: {},
};

export const constraintViolationListDescription: ResourceDescription = {
  name: 'ConstraintViolationList',
  title: 'Constraint violation list',
  description: `A 422 problem listing the reasons the submitted data was refused (the first ${MAX_LISTED_VIOLATIONS}) and counting them.`,
  // One @type clients compare as a string, as API Platform 4 answers; a hydra:Error all the same.
  subClassOf: 'hydra:Error',
  embeds: [errorDescription, constraintViolationDescription],
  properties: {
    // A plain (unordered) array term, as in API Platform's context: expanded, each violation is a
    // node of its own with its propertyPath and message, which API Platform Admin's error mapping
    // reads; an @list would wrap them in one list object it cannot read. JSON keeps their order.
    violations: {
      range: 'ConstraintViolation',
      description: `The violations found in the request, the first ${MAX_LISTED_VIOLATIONS} of them.`,
      schema: { type: 'array', items: { $ref: '#/$defs/ConstraintViolation' } },
    },
    violation_count: {
      range: 'xsd:integer',
      description: `How many violations were found; \`violations\` lists the first ${MAX_LISTED_VIOLATIONS}.`,
      schema: { type: 'integer', minimum: 1 },
    },
  },
  operations: {},
};
