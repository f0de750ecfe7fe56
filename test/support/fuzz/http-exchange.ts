/**
 * Raw HTTP/1.1 requests with node:http, so the fuzzer controls every byte a client could send:
 * paths with %ZZ, bodies that are not JSON, no Content-Type at all. One keep-alive agent per
 * run, 127.0.0.1 only.
 */
import http, { type IncomingHttpHeaders } from 'node:http';

export interface OutgoingRequest {
  method: string;
  /** Path and query, already encoded as they go on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Set when the connection failed before a full answer came back. */
  transportError?: string;
  ms: number;
}

const TIMEOUT_MS = 20_000;

export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly host: string;
  private readonly port: number;

  constructor(base: string) {
    const url = new URL(base);
    if (url.hostname !== '127.0.0.1') throw new Error(`The fuzzer only talks to 127.0.0.1, not ${url.hostname}`);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  send(request: OutgoingRequest): Promise<Answer> {
    const started = performance.now();
    return new Promise((resolve) => {
      let answered = false;
      const finish = (answer: Omit<Answer, 'ms'>) => {
        if (answered) return;
        answered = true;
        resolve({ ...answer, ms: performance.now() - started });
      };
      const headers = { ...request.headers, ...(request.body ? { 'Content-Length': String(request.body.length) } : {}) };
      const outgoing = http.request({ host: this.host, port: this.port, method: request.method, path: request.target, headers, agent: this.agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (error) => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), transportError: error.message }));
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      // A server may answer (413) and close before a big body is written: the answer is what counts.
      outgoing.on('error', (error) => setTimeout(() => finish({ status: 0, headers: {}, body: Buffer.alloc(0), transportError: error.message }), 50));
      outgoing.end(request.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
