/**
 * One request for one documented operation, built from what the document says of it (path and
 * query parameters, header parameters, request body media types and schemas, security) and
 * what the world has seen (real ids, ETags, links): valid most of the time, near-valid or
 * hostile the rest, in every part of the request.
 */
import type { Sent } from './defects.js';
import type { FollowableLink } from './fuzz-world.js';
import type { OutgoingRequest } from './http-exchange.js';
import { fillPath, type DocumentedOperation } from './openapi-operations.js';
import type { PlanContext } from './plan-context.js';
import { principalNamed, type Principal } from './principals.js';
import { acceptHeader, headerParameters, idempotencyHeader, protocolHeaders } from './request-headers.js';
import { bodyPart, pathValues, queryPairs, type PathPart } from './request-parts.js';

export type { PlanContext } from './plan-context.js';

const HOSTILE_CURSORS = ['', 'garbage', '%ZZ', 'A'.repeat(500), Buffer.from('{"k":"\'; DROP TABLE x"}').toString('base64url'), Buffer.from('[1e400,null]').toString('base64url'), '..%2F..'];

function principalOf(ctx: PlanContext): Principal {
  const p = ctx.principals;
  return ctx.rng.weighted([[p.owner, 30], [p.admin, 10], [p.member, 9], [p.stranger, 8], [p.invitee, 8], [p.integration, 10], [p.fewScopes, 8], [p.anonymous, 7], [p.badToken, 7]] as const);
}

// --- the request -------------------------------------------------------------------------------

/** Half the time a real id is used by a partner that was given it (the invitee accepting its invitation), else by anyone. */
function principalFor(path: PathPart, ctx: PlanContext): Principal {
  const given = (path.seenBy ?? []).map((name) => principalNamed(ctx.principals, name)).filter((p): p is Principal => p !== undefined);
  return given.length && ctx.rng.chance(0.5) ? ctx.rng.pick(given) : principalOf(ctx);
}

export function planRequest(operation: DocumentedOperation, ctx: PlanContext, fixed?: Principal): Sent {
  const path = pathValues(operation, ctx);
  const principal = fixed ?? principalFor(path, ctx);
  const filled = fillPath(operation, path.values);
  const query = queryPairs(operation.parameters, ctx, operation.label);
  const accept = acceptHeader(operation, ctx);
  const protocol = protocolHeaders(operation, filled, ctx);
  const documented = headerParameters(operation, ctx);
  const target = query.pairs.length ? `${filled}?${query.pairs.join('&')}` : filled;
  const idempotency = idempotencyHeader(operation, target, bodyPart(operation, ctx), ctx);
  const body = idempotency.body;
  const headers = { ...principal.credential(ctx.rng), ...accept.headers, ...protocol.headers, ...documented.headers, ...idempotency.headers, ...(body.type ? { 'Content-Type': body.type } : {}) };
  const request: OutgoingRequest = { method: operation.method, target: idempotency.target, headers, body: body.body };
  const labels = [operation.pathNames.length ? path.label : '', query.label, accept.label, protocol.label, documented.label, idempotency.label, body.label];
  return { operation: operation.label, principal: principal.name, intent: labels.filter(Boolean).join(' '), request };
}

/** A pagination link the API gave, followed as the partner it was given to; now and then with its cursor spoilt. */
export function planLink(operation: DocumentedOperation, link: FollowableLink, principal: Principal, ctx: PlanContext): Sent {
  const { rng } = ctx;
  let target = link.target.replace(/^https?:\/\/[^/]+/, '');
  let label = 'link:as-given';
  if (/[?&](after|before)=/.test(target) && rng.chance(0.3)) {
    const cursor = rng.pick(HOSTILE_CURSORS);
    target = target.replace(/([?&](?:after|before)=)[^&]*/, `$1${cursor}`);
    label = `link:cursor=${cursor.slice(0, 20)}`;
  }
  const accept = acceptHeader(operation, ctx);
  return { operation: operation.label, principal: principal.name, intent: `${label} ${accept.label}`, request: { method: 'GET', target, headers: { ...principal.credential(rng), ...accept.headers } } };
}
