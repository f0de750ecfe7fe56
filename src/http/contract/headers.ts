/**
 * The HTTP headers of the contract, by name, as OpenAPI describes them: the request headers a
 * step reads and the response headers a step writes. `components.parameters` and
 * `components.headers` of /api/docs.json are these, and operations refer to them.
 */
type Json = Record<string, unknown>;

/** RFC 9110 §8.8.3 and §13.1.1: `*`, or a list of entity tags, each `"…"` or `W/"…"`. */
const ENTITY_TAGS = '^(\\*|(W/)?"[\\x21\\x23-\\x7e]*"( *, *(W/)?"[\\x21\\x23-\\x7e]*")*)$';

export const REQUEST_HEADERS = {
  'Idempotency-Key': {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Any unique string (a UUID): a retry of this POST with the same key and body within 24 hours gets the first answer instead of doing the work again; the same key with another body is a 422, a key whose first request is still running a 409 with Retry-After.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  },
  'If-Match': {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'An ETag from a GET of this resource: the change is made only while the resource is still in that state, else 412 and nothing changes. `*` matches any state.',
    schema: { type: 'string', maxLength: 1024, pattern: ENTITY_TAGS },
  },
  'If-None-Match': {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'ETags the client holds: 304 without a body when the current representation has one of them (whatever the request\'s Cache-Control says).',
    schema: { type: 'string', maxLength: 1024, pattern: ENTITY_TAGS },
  },
  Prefer: {
    name: 'Prefer',
    in: 'header',
    required: false,
    description:
      'RFC 7240 preferences (src/http/input-handling.ts). `handling=lenient` (the default): properties the client may not write here (read-only ones such as `id`, ' +
      'create-only ones in a merge patch, unknown ones) are ignored, so a client may send back a whole record it read. ' +
      '`handling=strict`: they are refused with a 422 listing them (`unknown_property`, `unmapped_property`). Other preferences are ignored.',
    // Any header value is read; the pattern keeps generated values within what a header can carry.
    // At most what the server reads of all request headers together (431 beyond).
    schema: { type: 'string', maxLength: 16384, pattern: '^[\\x20-\\x7E]*$', examples: ['handling=strict', 'handling=lenient'] },
  },
} as const satisfies Record<string, Json>;

export type RequestHeaderName = keyof typeof REQUEST_HEADERS;

export const RESPONSE_HEADERS = {
  ETag: { description: 'A validator of this representation (strong for resources, weak for the explorer\'s pages): send it back in If-None-Match (GET) or If-Match (PATCH, DELETE).', schema: { type: 'string', pattern: '^(W/)?"[\\x21\\x23-\\x7e]*"$' } },
  Location: { description: 'The absolute URL of what was created.', schema: { type: 'string', format: 'uri' } },
  'Preference-Applied': { description: 'Sent once the body was read, when the request asked for a `handling` preference (Prefer): the one it was read with.', schema: { type: 'string', enum: ['handling=strict', 'handling=lenient'] } },
  'RateLimit-Limit': { description: 'Requests allowed in the current one-minute window (IETF RateLimit header fields, draft 6).', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer', minimum: 0 } },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
  'WWW-Authenticate': { description: 'A Bearer challenge: error="invalid_token" when the token sent is unknown, revoked or expired; error="insufficient_scope" with the scope needed.', schema: { type: 'string' } },
} as const satisfies Record<string, Json>;

export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;
