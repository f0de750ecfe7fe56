import type { Response } from 'express';
import type { StoredAnswer } from '../resources/idempotency/idempotency-repository.js';

export interface HeldAnswer extends StoredAnswer {
  /** Sends it, exactly as it was about to go. */
  release(): void;
  /** Drops it, and puts back the headers it set, so that another answer can be sent in its place. */
  discard(): void;
}

// Express works it out again from the body whenever an answer is sent.
const RECOMPUTED = new Set(['content-length']);

function text(chunk: unknown): string {
  if (typeof chunk === 'string') return chunk;
  return Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
}

/** Node keeps each header's name as it was set; the method is OutgoingMessage's (@types/node types it on ClientRequest only). */
const rawHeaderNames = (res: Response): string[] => (res as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames();

type HeaderValues = ReturnType<Response['getHeaders']>;

const sameValue = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b);

/**
 * The headers the answer set or changed (not those the steps before it set and it left as
 * they were), by the names it gave them. A Link the answer appended to the documentation
 * Link set before it counts as changed: it is replayed whole.
 */
function headersSetSince(res: Response, before: HeaderValues): StoredAnswer['headers'] {
  const headers: StoredAnswer['headers'] = {};
  for (const name of rawHeaderNames(res)) {
    const lower = name.toLowerCase();
    const value = res.getHeader(name);
    if (value === undefined || RECOMPUTED.has(lower) || sameValue(value, before[lower])) continue;
    headers[name] = Array.isArray(value) ? [...value] : String(value);
  }
  return headers;
}

/** Puts the headers back as the steps before the answer left them (`names`: theirs, as they were set). */
function restoreHeaders(res: Response, before: HeaderValues, names: string[]): void {
  for (const name of res.getHeaderNames()) if (!(name in before)) res.removeHeader(name);
  for (const name of names) {
    const value = before[name.toLowerCase()];
    if (value !== undefined && !sameValue(res.getHeader(name), value)) res.setHeader(name, value);
  }
}

/**
 * Runs `proceed` (the rest of the chain) and stops its answer at `res.end`, where everything
 * is final (status, headers Express adds, body) and nothing has gone out: the caller commits
 * the work with it first, then releases it, or discards it if the commit failed.
 */
export function holdAnswer(res: Response, proceed: () => void): Promise<HeldAnswer> {
  const before = { ...res.getHeaders() };
  const names = rawHeaderNames(res);
  const end = res.end;
  return new Promise((resolve) => {
    res.end = ((...args: unknown[]) => {
      res.end = end;
      resolve({
        status: res.statusCode,
        body: text(args[0]),
        headers: headersSetSince(res, before),
        release: () => void (end as (...a: unknown[]) => Response).apply(res, args),
        discard: () => restoreHeaders(res, before, names),
      });
      return res;
    }) as Response['end'];
    proceed();
  });
}

/** The first answer again, its headers as it sent them, marked as a replay. */
export function replay(res: Response, answer: StoredAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(answer.status).send(answer.body);
}
