/**
 * A proxy in front of the real app that spoils chosen answers (status, body, Content-Type,
 * headers), so a test can show the fuzzer reports a defect the API does not have. Everything
 * else passes through unchanged. 127.0.0.1 only.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Returns the answer to send instead, or undefined to pass it through. */
export type Tamper = (request: { method: string; path: string }, answer: ProxiedAnswer) => ProxiedAnswer | undefined;

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startTamperingProxy(upstream: string, tamper: Tamper): Promise<{ base: string; close: () => Promise<void> }> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const server = http.createServer(async (req, res) => {
    const body = await read(req);
    const forwarded = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, async (upstreamRes) => {
      const answer = { status: upstreamRes.statusCode ?? 502, headers: upstreamRes.headers, body: await read(upstreamRes) };
      let sent = answer;
      try {
        sent = tamper({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] }, answer) ?? answer;
      } catch (error) {
        console.error('The tampering proxy passed an answer through unchanged:', error);
      }
      const headers = { ...sent.headers, 'content-length': String(sent.body.length) };
      delete headers['transfer-encoding'];
      res.writeHead(sent.status, headers as http.OutgoingHttpHeaders);
      res.end(sent.body);
    });
    forwarded.on('error', () => res.destroy());
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
