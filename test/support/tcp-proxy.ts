import { connect, createServer, type Socket } from 'node:net';

/** What a link does with the bytes (and the closes) it carries. */
type Flow = 'forward' | 'stall' | 'blackhole' | 'hold-answers';

/** One client connection through the proxy and its own connection to the target. */
interface Link {
  client: Socket;
  upstream: Socket;
  flow: Flow;
  /** Deliveries postponed while stalled, in order; run on restore. */
  held: Array<() => void>;
  /** A link that dropped bytes has a broken byte stream: it never forwards again. */
  lostBytes: boolean;
}

type Trigger = { text: string; act: (link: Link, chunk: Buffer) => void };

/**
 * A TCP proxy of the test's own between the service and PostgreSQL, to play every way a
 * database can fail without touching the real server:
 * - `refuse()`: the port closes (new connections get ECONNREFUSED), open ones are closed;
 * - `reset()`: every open connection is reset (RST, ECONNRESET on both ends), new ones pass;
 * - `blackhole()`: bytes are silently dropped both ways, closes too; new connections are
 *   accepted and never answered (a host gone dark, no RST);
 * - `stall()`: nothing moves but nothing is lost: on `restore()` it all arrives (a
 *   connection that stalls and heals);
 * - `holdAnswers()`: what clients send reaches PostgreSQL, its answers wait for `restore()`
 *   (statements done, their answers slow to come back);
 * - `resetAfter(text)` / `blackholeFrom(text)`: the same, once, to the one connection whose
 *   client sends `text` (say `COMMIT`), at that exact moment;
 * - `cut()`: every connection closed and new ones dropped at once (the first outage test).
 * A blackholed link that dropped bytes stays dead after `restore()`, as its byte stream is
 * broken; its PostgreSQL side stays open (the close was dropped too) until `close()`.
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  const links = new Set<Link>();
  const triggers: Trigger[] = [];
  let flow: Flow = 'forward';
  let accepting = true;

  function deliver(link: Link, delivery: () => void, answer = false): void {
    if (link.flow === 'forward' || (link.flow === 'hold-answers' && !answer)) return delivery();
    if (link.flow === 'hold-answers') return void link.held.push(delivery);
    if (link.flow === 'stall') return void link.held.push(delivery);
    link.lostBytes = true;
  }

  function fromClient(link: Link, chunk: Buffer): void {
    const index = triggers.findIndex((t) => chunk.includes(t.text));
    if (index >= 0 && link.flow === 'forward') return triggers.splice(index, 1)[0].act(link, chunk);
    deliver(link, () => link.upstream.write(chunk));
  }

  const server = createServer({ allowHalfOpen: true }, (client) => {
    if (!accepting) return client.destroy();
    const upstream = connect({ port: targetPort, host: targetHost, allowHalfOpen: true });
    const link: Link = { client, upstream, flow, held: [], lostBytes: false };
    links.add(link);
    for (const socket of [client, upstream]) socket.on('error', () => undefined);
    client.on('data', (chunk) => fromClient(link, chunk));
    upstream.on('data', (chunk) => deliver(link, () => client.write(chunk), true));
    client.on('close', () => deliver(link, () => upstream.destroy()));
    upstream.on('close', () => deliver(link, () => client.destroy(), true));
    client.on('end', () => deliver(link, () => upstream.end()));
    upstream.on('end', () => deliver(link, () => client.end(), true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  function setFlow(next: Flow): void {
    flow = next;
    for (const link of links) {
      if (link.lostBytes) continue;
      link.flow = next;
      if (next === 'forward') link.held.splice(0).forEach((delivery) => delivery());
    }
  }

  function destroyAll(): void {
    for (const link of links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    links.clear();
  }

  return {
    port,
    refuse() {
      server.close();
      destroyAll();
    },
    reset() {
      for (const link of links) {
        link.client.resetAndDestroy();
        link.upstream.resetAndDestroy();
      }
      links.clear();
    },
    blackhole: () => setFlow('blackhole'),
    stall: () => setFlow('stall'),
    holdAnswers: () => setFlow('hold-answers'),
    cut() {
      accepting = false;
      destroyAll();
    },
    /** Forwards the chunk holding `text` (its PostgreSQL side then ends cleanly), and resets the client's side. */
    resetAfter(text: string) {
      triggers.push({
        text,
        act: (link, chunk) => {
          link.upstream.end(chunk);
          // Nothing more goes either way: a reset reaching PostgreSQL could discard the chunk unread.
          link.flow = 'blackhole';
          link.lostBytes = true;
          link.client.resetAndDestroy();
        },
      });
    },
    /** Drops the chunk holding `text` and everything after it on that one connection, both ways. */
    blackholeFrom(text: string) {
      triggers.push({
        text,
        act: (link) => {
          link.flow = 'blackhole';
          link.lostBytes = true;
        },
      });
    },
    async restore() {
      accepting = true;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      setFlow('forward');
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
        if (!server.listening) resolve();
      }),
  };
}
