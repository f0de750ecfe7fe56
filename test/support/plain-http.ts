/**
 * Requests with node:http alone, for tests that kill the server under them: a request either
 * gets its whole answer or rejects (socket error, a response cut off, a timeout), so a test
 * can tell an acknowledged write from one the kill cut.
 */
import http from 'node:http';
import { expect } from '@jest/globals';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Starts one request (ended by the caller); `answer` resolves once the whole response is read. */
export function exchange(url: string, options: http.RequestOptions, timeoutMs = 15_000): { req: http.ClientRequest; answer: Promise<Answer> } {
  let req!: http.ClientRequest;
  const answer = new Promise<Answer>((resolve, reject) => {
    req = http.request(url, { timeout: timeoutMs, ...options }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      res.on('close', () => res.complete || reject(new Error('response cut off')));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
  return { req, answer };
}

/** One request with an optional JSON body. */
export function send(url: string, options: http.RequestOptions, body?: unknown): Promise<Answer> {
  const { req, answer } = exchange(url, options);
  req.end(body === undefined ? undefined : JSON.stringify(body));
  return answer;
}

/** Every organization's name, following hydra:next (at most 10 pages of 100). */
export async function listedNames(base: string, headers: Record<string, string>): Promise<string[]> {
  const names: string[] = [];
  let next: string | undefined = '/api/organizations?itemsPerPage=100';
  for (let pages = 0; next && pages < 10; pages++) {
    const res = await send(`${base}${next}`, { headers });
    expect(res.status).toBe(200);
    const page = JSON.parse(res.body) as { 'hydra:member': { name: string }[]; 'hydra:view': { 'hydra:next'?: string } };
    names.push(...page['hydra:member'].map((m) => m.name));
    next = page['hydra:view']['hydra:next'];
  }
  return names;
}
