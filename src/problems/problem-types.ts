/**
 * Every kind of problem the API reports. The slug names the problem type URI
 * (`/api/errors/<slug>`), which serves this title and description to whoever follows it.
 */
export const PROBLEM_TYPES = {
  'malformed-request': { status: 400, title: 'Malformed request', description: 'The request body or a query parameter could not be read.' },
  unauthorized: { status: 401, title: 'Unauthorized', description: 'The request carries no valid token: send Authorization: Bearer <token> or X-API-Key: <token>.' },
  forbidden: { status: 403, title: 'Forbidden', description: 'The caller is known but not allowed to do this.' },
  'insufficient-scope': { status: 403, title: 'Insufficient scope', description: 'The token lacks the scope this operation needs; the detail and WWW-Authenticate name it. Issue a token with that scope.' },
  'scope-not-granted': { status: 403, title: 'Scope not granted', description: "The integration was not granted, in this organization, the scope this operation needs; the detail names it. An owner or admin can grant it by changing the installation." },
  'not-found': { status: 404, title: 'Not Found', description: 'Nothing here, or nothing the caller may see.' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed', description: 'The resource does not support this method; the Allow header lists those it does.' },
  'not-acceptable': { status: 406, title: 'Not Acceptable', description: 'None of the media types in Accept can be produced.' },
  'request-timeout': { status: 408, title: 'Request Timeout', description: 'The request did not arrive in time: its headers, the whole request, or the next part of its body took too long. The connection is closed; send the request again.' },
  conflict: { status: 409, title: 'Conflict', description: 'The request conflicts with the current state of the resource.' },
  'slug-taken': { status: 409, title: 'Slug already taken', description: 'Another organization already uses this slug.' },
  'last-owner': { status: 409, title: 'Last owner', description: 'An organization always keeps at least one owner: make another member owner before this one leaves or steps down.' },
  'organization-full': { status: 409, title: 'Organization full', description: 'Members plus pending invitations have reached the organization\'s max_members.' },
  'personal-organization': { status: 409, title: 'Personal organization', description: 'A personal organization has exactly one member, its owner: nobody can be invited or added.' },
  'personal-organization-exists': { status: 409, title: 'Personal organization exists', description: 'A partner may have only one personal organization.' },
  'invitations-disabled': { status: 409, title: 'Invitations disabled', description: 'The organization has invites_enabled set to false: no new invitations.' },
  'already-member': { status: 409, title: 'Already a member', description: 'The partner is already a member of this organization.' },
  'integration-installed': { status: 409, title: 'Installed as an integration', description: 'The partner is installed in this organization as an integration; a partner is a member or an integration of an organization, not both.' },
  'integration-exists': { status: 409, title: 'Integration already installed', description: 'This partner is already installed in this organization: change that installation instead.' },
  'invitation-pending': { status: 409, title: 'Invitation already pending', description: 'This email already has a pending invitation to this organization.' },
  'invitation-not-pending': { status: 409, title: 'Invitation not pending', description: 'The invitation was already accepted or revoked; nothing changed.' },
  'invitation-expired': { status: 410, title: 'Invitation expired', description: 'The invitation is past its expires_at and can no longer be accepted; ask for a new one.' },
  'precondition-failed': { status: 412, title: 'Precondition Failed', description: 'If-Match names a version of the resource that is no longer current; nothing changed.' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused', description: 'The Idempotency-Key was already used for a different request by this partner.' },
  'idempotency-key-in-use': { status: 409, title: 'Idempotency key in use', description: 'The first request with this Idempotency-Key is still being processed; retry after Retry-After.' },
  'payload-too-large': { status: 413, title: 'Payload Too Large', description: 'The request body is larger than the API accepts.' },
  'misdirected-request': { status: 421, title: 'Misdirected Request', description: 'This server does not answer for the host the request names (its Host header); send it to the API\'s own address.' },
  'request-header-too-large': { status: 431, title: 'Request Header Fields Too Large', description: 'The request line or headers are larger than the server reads (16 KiB); shorten the URL or the headers.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type', description: 'The Content-Type of the request body is not one this operation accepts.' },
  'unsupported-context': { status: 422, title: 'Unsupported JSON-LD context', description: 'The body refers to a remote @context. The API never fetches one: use its own contexts (/api/contexts/<Name>, by path or absolute URL), inline the context in the body, or send no @context.' },
  'document-too-complex': { status: 422, title: 'JSON-LD document too complex', description: 'A body that needs JSON-LD processing (expanded, flattened or in another context) nests too deeply, holds too many values, has too large contexts, or takes too long to read; the detail names the limit. Send it compacted in the resource\'s own context, or without @context.' },
  'validation-failed': { status: 422, title: 'Validation failed', description: 'The submitted data breaks one or more rules; `violations` lists every one.' },
  'service-unavailable': { status: 503, title: 'Service Unavailable', description: 'The database cannot be reached or is overloaded; nothing was changed. Retry after the number of seconds in Retry-After.' },
  'shutting-down': { status: 503, title: 'Shutting down', description: 'This instance is shutting down: it still answers what it is sent for a moment, but a load balancer should send new requests elsewhere.' },
  'too-many-requests': { status: 429, title: 'Too Many Requests', description: 'The rate limit for this token (or, without a token, this address) is used up; retry after the seconds in Retry-After. RateLimit-* headers show the budget.' },
  'internal-error': { status: 500, title: 'Internal Server Error', description: 'Something failed on our side. Quote the request id when reporting it.' },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;
