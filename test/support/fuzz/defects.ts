/**
 * Mismatches folded into defects: one per operation, status, kind and place (schema path,
 * header, media type), each kept with the first request that showed it, so the report lists
 * every defect once, with an example to replay.
 */
import type { Answer, OutgoingRequest } from './http-exchange.js';
import type { Mismatch } from './response-checker.js';

export interface Sent {
  operation: string;
  principal: string;
  /** How the request was built: `path:real query:hostile body:missing-required name`. */
  intent: string;
  request: OutgoingRequest;
}

export interface Defect {
  key: string;
  operation: string;
  status: number;
  mismatch: Mismatch;
  count: number;
  example: { sent: Sent; answer: Answer };
}

const TRUNCATE = 300;

/** Control and direction characters escaped, so a hostile example cannot garble the report. */
function printable(text: string): string {
  return text.replace(/\p{Cc}|\p{Cf}|\p{Cs}|\p{Zl}|\p{Zp}|\ufffd/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function truncated(text: string, length = TRUNCATE): string {
  const flat = printable(text.replace(/\s+/g, ' '));
  return flat.length > length ? `${flat.slice(0, length)}… (${text.length} chars)` : flat;
}

function shownHeaders(headers: Record<string, string>): string {
  const shown = Object.entries(headers).map(([name, value]) => `${name}: ${/^(authorization|x-api-key)$/i.test(name) ? value.replace(/lo_[\w-]{8,}/, 'lo_…') : truncated(value, 80)}`);
  return shown.join('; ') || 'none';
}

export class DefectLog {
  readonly defects = new Map<string, Defect>();
  mismatchingAnswers = 0;

  record(sent: Sent, answer: Answer, mismatches: Mismatch[]): void {
    if (mismatches.length) this.mismatchingAnswers++;
    for (const mismatch of mismatches) {
      const key = `${sent.operation} | ${answer.status} | ${mismatch.kind} | ${mismatch.where}`;
      const known = this.defects.get(key);
      if (known) known.count++;
      else this.defects.set(key, { key, operation: sent.operation, status: answer.status, mismatch, count: 1, example: { sent, answer } });
    }
  }

  sorted(): Defect[] {
    return [...this.defects.values()].sort((a, b) => a.operation.localeCompare(b.operation) || a.status - b.status || a.key.localeCompare(b.key));
  }
}

export function describeDefect(defect: Defect, index: number): string {
  const { sent, answer } = defect.example;
  const body = sent.request.body ? truncated(sent.request.body.toString('utf8'), 160) : 'none';
  return [
    `${index + 1}. ${defect.operation} -> ${defect.status} ${defect.mismatch.kind} ${defect.mismatch.where} (${defect.count}x)`,
    `   ${defect.mismatch.detail}`,
    `   request: ${sent.request.method} ${truncated(sent.request.target, 160)} as ${sent.principal} [${sent.intent}]`,
    `     headers: ${shownHeaders(sent.request.headers)}`,
    `     body: ${body}`,
    `   answer: ${answer.status} ${answer.headers['content-type'] ?? '(no Content-Type)'}: ${truncated(answer.body.toString('utf8'))}`,
  ].join('\n');
}

/** The defects grouped by what went wrong, whatever the operation: one line per likely cause, for reading before the details. */
export function overview(defects: Defect[]): string[] {
  const groups = new Map<string, string[]>();
  for (const d of defects) {
    const cause = `${d.status} ${d.mismatch.kind} ${d.mismatch.where}`;
    groups.set(cause, [...(groups.get(cause) ?? []), d.operation]);
  }
  return [...groups.entries()]
    .sort(([, a], [, b]) => b.length - a.length)
    .map(([cause, operations]) => `- ${cause}: ${operations.length} operation${operations.length > 1 ? 's' : ''} (${operations.join(', ')})`);
}
