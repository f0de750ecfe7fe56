import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../problems/app-error.js';
import type { JsonLdNode } from './representation.js';

/**
 * The state of a resource as one tag: a hash of its node as built, without @context, so
 * every format of the same state shares it. Each format's ETag adds its own suffix after a
 * dot, which base64url never contains (strong ETags name one representation); If-Match
 * compares the state part.
 */
export function stateTag(document: JsonLdNode): string {
  const { '@context': _context, ...node } = document;
  return stateTagOfJson(JSON.stringify(node));
}

/** The same tag from the node already serialized, so a response is stringified once. */
export function stateTagOfJson(nodeJson: string): string {
  return createHash('sha256').update(nodeJson).digest('base64url').slice(0, 27);
}

export function etag(state: string, variant?: string): string {
  return `"${state}${variant ? `.${variant}` : ''}"`;
}

function statesIn(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.startsWith('"')) // weak tags never match If-Match (RFC 9110, strong comparison)
    .map((t) => t.slice(1, -1).split('.')[0]);
}

/**
 * For PATCH and DELETE: when the request has If-Match, a check the use case runs on the
 * current state inside its transaction (412 unless it matches); without If-Match, nothing.
 */
export function ifMatch(req: Request): ((current: JsonLdNode) => void) | undefined {
  const header = req.get('if-match');
  if (header === undefined) return undefined;
  const wanted = header.trim() === '*' ? '*' : statesIn(header);
  return (current) => {
    if (wanted === '*' || wanted.includes(stateTag(current))) return;
    throw new AppError('precondition-failed', 'The resource has changed since the ETag in If-Match: GET it again, then retry with its current ETag.');
  };
}

/**
 * If-None-Match against the ETag about to be sent (RFC 9110 §13.1.2, weak comparison; `*`
 * matches any current representation). Evaluated whatever the request's Cache-Control says:
 * `no-cache` (which fetch adds to any request with If-None-Match) binds caches, not the
 * origin's validators, so an SDK still gets its 304.
 */
export function notModified(req: Request, tag: string): boolean {
  const header = req.get('if-none-match');
  if (header === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  if (header.trim() === '*') return true;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => opaque(t) === tag);
}
