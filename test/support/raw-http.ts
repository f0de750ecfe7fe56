import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One TCP connection speaking HTTP/1.1 by hand, for what clients libraries hide: when the
 * request's bytes are sent, how slowly, and whether the server closes the connection.
 */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private waiting?: () => void;
  readonly closed: Promise<void>;
  isClosed = false;
  /** Set when the server reset the connection or writing failed. */
  error?: NodeJS.ErrnoException;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
    socket.on('error', (error) => (this.error = error));
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.waiting?.();
        resolve();
      }),
    );
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** The next whole response (by Content-Length, or up to the close); rejects after `timeoutMs`. */
  async response(timeoutMs = 5_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.isClosed) throw new Error(`connection closed before a whole response (${this.error?.code ?? 'no error'}): ${JSON.stringify(this.buffer.toString().slice(0, 200))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): RawResponse | undefined {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine, ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    const available = this.buffer.length - end - 4;
    if (length === undefined ? !this.isClosed : available < length) return undefined;
    const body = this.buffer.subarray(end + 4, end + 4 + (length ?? available));
    this.buffer = this.buffer.subarray(end + 4 + body.length);
    return { status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8') };
  }
}

export function get(path: string, headers: Record<string, string> = {}): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}
