import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Express } from 'express';
import type { HttpTimeouts } from '../config.js';
import { PROBLEM_TYPES, type ProblemSlug } from '../problems/problem-types.js';
import { PROBLEM_TYPES_PATH } from './problem-response.js';
import { requestPath } from './request-path.js';

export interface ServerOptions {
  timeouts: HttpTimeouts;
  /** PUBLIC_ORIGIN: problem types of answers written here are absolute under it. */
  publicOrigin?: string;
}

/**
 * Node checks the headers and request timeouts of every connection on this interval, 30 s
 * by default: a timeout of 10 s could then hold for 40. Every second (or half the headers
 * timeout, when shorter) keeps each within about a second of its setting.
 */
function checkingInterval({ headersTimeoutMs }: HttpTimeouts): number {
  return Math.max(100, Math.min(1_000, Math.floor(headersTimeoutMs / 2)));
}

/**
 * A problem Node met before the app had the request: with no request id yet, one is made, and
 * with no path read, the instance is that id as a URN (RFC 9457: it names this occurrence),
 * so these problems carry every member the contract requires, as the app's own do.
 */
function problemBody(slug: ProblemSlug, detail: string, origin: string | undefined, where: { instance?: string; requestId?: unknown }) {
  const { status, title } = PROBLEM_TYPES[slug];
  const type = `${origin ?? ''}${PROBLEM_TYPES_PATH}/${slug}`;
  const requestId = typeof where.requestId === 'string' ? where.requestId : randomUUID();
  const instance = where.instance ?? `urn:uuid:${requestId}`;
  return { status, title, requestId, body: JSON.stringify({ type, title, status, detail, instance, request_id: requestId }) };
}

/** How long a connection answered before its request was all read stays half-open: time for the client to read the answer. */
const LINGER_MS = 2_000;

/**
 * Closes a connection whose request was answered before it was all read (a 413, a 408, a
 * 401 to an upload). Node would read the rest to keep the connection, for as long as the
 * client sends; closing at once (as Connection: close does) resets a client still sending,
 * which then loses the answer. So, as nginx's lingering close (without its reading): stop
 * reading, send FIN after the answer, and close for good a moment later.
 */
function lingerThenClose(socket: Socket): void {
  if (socket.destroyed) return;
  socket.pause();
  // What socket.destroySoon() arranges for a Connection: close answer: destroy once the FIN is out.
  socket.removeListener('finish', socket.destroy);
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('close', () => clearTimeout(timer));
}

function clientErrorSlug(error: NodeJS.ErrnoException): ProblemSlug {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request-timeout';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'request-header-too-large';
  return 'malformed-request';
}

/**
 * The API's HTTP server, created as production runs it (main.ts) and as the tests start it:
 * bounded headers and request times, a problem document for what Node refuses before the
 * app sees it, and no connection kept for the rest of a body nobody reads.
 */
export class ApiServer {
  readonly server: http.Server;
  /** Responses not finished yet, by connection: the answer a timeout or a shutdown still has to shape. */
  private readonly answering = new Map<Socket, ServerResponse>();
  private readonly connections = new Set<Socket>();
  private closeEveryAnswer = false;

  constructor(app: Express, private readonly options: ServerOptions) {
    const { headersTimeoutMs, requestTimeoutMs } = options.timeouts;
    this.server = http.createServer({ headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: checkingInterval(options.timeouts) });
    this.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
    this.server.on('request', (req, res) => this.track(req, res));
    this.server.on('request', app);
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.answerClientError(error, socket));
  }

  /** Resolves once the port is bound; rejects with the listen error (EADDRINUSE, EACCES …). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.server.once('error', failed);
      this.server.listen(port, host, () => {
        this.server.off('error', failed);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** From now on, every answer (those in flight included) closes its connection: shutting down. */
  closeConnectionsAfterAnswers(): void {
    this.closeEveryAnswer = true;
    for (const res of this.answering.values()) if (!res.headersSent) res.shouldKeepAlive = false;
  }

  /**
   * Closes every connection with no request under way: between two requests (Node's idle
   * ones) or that never sent a byte (which Node counts as busy until its headers timeout).
   */
  closeIdleConnections(): void {
    this.server.closeIdleConnections();
    for (const socket of this.connections) if (socket.bytesRead === 0) socket.destroy();
  }

  get openRequests(): number {
    return this.answering.size;
  }

  private track(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    if (this.closeEveryAnswer) res.shouldKeepAlive = false;
    this.answering.set(socket, res);
    res.once('close', () => {
      if (this.answering.get(socket) === res) this.answering.delete(socket);
    });
    // An answer sent before its request was all read says Connection: close (RFC 9112 §9.6),
    // so a keep-alive client does not send its next request into a connection about to close.
    // (Only a request that declares a body: a bodiless one may not be marked complete yet when
    // an answer is written in the tick that received it.)
    const declaresBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (declaresBody && !req.complete) this.shouldKeepAlive = false;
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    res.once('finish', () => {
      if (!req.complete) lingerThenClose(socket);
    });
  }

  /** What Node refuses itself (timeouts, oversized or unparsable headers) still gets a problem document. */
  private answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    const slug = clientErrorSlug(error);
    const res = this.answering.get(socket);
    if (res && !res.headersSent && slug === 'request-timeout') return this.answerTimeout(res, socket);
    if (!socket.writable || res?.headersSent) return void socket.destroy();
    const detail = slug === 'request-timeout' ? 'The request headers did not arrive in time.' : PROBLEM_TYPES[slug].description;
    const { status, title, requestId, body } = problemBody(slug, detail, this.options.publicOrigin, {});
    socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nX-Request-Id: ${requestId}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    lingerThenClose(socket);
  }

  /** The request reached the app but its body did not arrive in time: answered through its response, so it is logged. */
  private answerTimeout(res: ServerResponse, socket: Socket): void {
    const where = { instance: requestPath(res.req.url ?? '/'), requestId: res.getHeader('X-Request-Id') };
    const { status, body } = problemBody('request-timeout', `The whole request did not arrive within ${this.options.timeouts.requestTimeoutMs / 1000} s.`, this.options.publicOrigin, where);
    res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  }
}
