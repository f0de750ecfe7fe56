import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** What a receiver answered, or why nothing came. */
export interface SendResult {
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** A receiver's answer is read this far and no further (only its status counts). */
export const ANSWER_BYTES_READ = 4096;

/** Always the address that was checked, whatever the name resolves to by now (DNS rebinding). */
function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address);
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * One POST of a delivery, to the address checked before it (url-safety.ts), with no redirect
 * followed (node:http follows none), no connection reused, the whole exchange bounded by
 * timeoutMs and at most ANSWER_BYTES_READ of the answer read.
 */
export function sendDelivery(url: URL, address: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendResult> {
  const started = performance.now();
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ status, durationMs: Math.round(performance.now() - started), error });
    };
    const request = transport.request(url, {
      method: 'POST',
      agent: false,
      lookup: pinnedLookup(address),
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'LinkedOrgs-Webhooks/1' },
    });
    const timer = setTimeout(() => finish(null, `no answer within ${timeoutMs} ms`), timeoutMs);
    request.on('response', (answer) => {
      const status = answer.statusCode ?? null;
      let read = 0;
      answer.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= ANSWER_BYTES_READ) finish(status, null);
      });
      answer.on('end', () => finish(status, null));
      answer.on('error', () => finish(status, null));
    });
    request.on('error', (error: NodeJS.ErrnoException) => finish(null, error.code ? `${error.code}: ${error.message}` : error.message));
    request.end(body);
  });
}
