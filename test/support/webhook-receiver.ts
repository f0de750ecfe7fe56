import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: Record<string, any>;
  /** Which of the path's secrets verified the signature (standardwebhooks' verify); empty: none did. */
  verifiedWith: string[];
}

/**
 * A webhook receiver on 127.0.0.1 as a partner would write one: every delivery is verified with
 * the `standardwebhooks` package against the secrets registered for its path. Answers 200
 * unless a path was given a script of statuses (`answer('/a', [500, 500])`: those first, then 200).
 */
export async function startReceiver() {
  const received: Received[] = [];
  const secrets = new Map<string, string[]>();
  const scripts = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const verifiedWith = (secrets.get(path) ?? []).filter((secret) => {
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      let event: Record<string, any> = {};
      try {
        event = JSON.parse(body);
      } catch {
        /* kept as an empty event: the test sees it was not JSON */
      }
      received.push({ path, headers: req.headers, body, event, verifiedWith });
      const status = scripts.get(path)?.shift() ?? 200;
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    /** What arrived at one path, in arrival order. */
    at: (path: string) => received.filter((r) => r.path === path),
    trust(path: string, ...keys: string[]) {
      secrets.set(path, [...(secrets.get(path) ?? []), ...keys]);
    },
    answer(path: string, statuses: number[]) {
      scripts.set(path, [...statuses]);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Polls until the condition holds (bounded), then returns; fails with the message otherwise. */
export async function eventually(condition: () => boolean | Promise<boolean>, message: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not within ${timeoutMs} ms: ${message}`);
}
