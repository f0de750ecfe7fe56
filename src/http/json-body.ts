import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { TextDecoder } from 'node:util';
import { AppError } from '../problems/app-error.js';

export interface BodyLimits {
  /** Largest body, in bytes, after decompression. */
  limit: number;
  /** Longest pause allowed between two parts of the body. */
  idleTimeoutMs: number;
  /** Sees the whole body's bytes (decompressed) before they are parsed; throws to refuse it. */
  verify?: (req: Request, res: Response, bytes: Buffer) => void;
}

const DECOMPRESSORS: Record<string, () => NodeJS.ReadWriteStream> = { gzip: createGunzip, deflate: createInflate, br: createBrotliDecompress };

/** As body-parser: a body is announced by Transfer-Encoding or by a Content-Length, even 0. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number.parseInt(req.headers['content-length'] ?? '', 10));
}

function decoderFor(req: Request): TextDecoder {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1].toLowerCase() ?? 'utf-8';
  try {
    // RFC 8259 §8.1: JSON is UTF-8 (UTF-16 still read, as body-parser did).
    if (charset.startsWith('utf-')) return new TextDecoder(charset);
  } catch {
    // a utf- label TextDecoder does not know: refused below
  }
  throw new AppError('unsupported-media-type', `The request body must be UTF-8 JSON, not ${charset}.`);
}

function contentStream(req: Request): Readable | NodeJS.ReadWriteStream {
  const encoding = (req.get('content-encoding') ?? 'identity').toLowerCase();
  if (encoding === 'identity') return req;
  const decompressor = DECOMPRESSORS[encoding];
  if (!decompressor) throw new AppError('unsupported-media-type', 'The request body must be UTF-8 JSON, uncompressed or gzip, deflate or br.');
  return req.pipe(decompressor());
}

/**
 * Nothing more of this request is read: the answer closes the connection, so the rest of
 * the body (a never-ending chunked stream, say) never costs us anything.
 */
export function closeAfterAnswer(res: Response): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}

function parse(text: string): unknown {
  // As body-parser did: an empty body is an empty object, which validation then judges.
  if (text.length === 0) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('malformed-request', 'The request body is not valid JSON.');
  }
}

/**
 * Reads a JSON body onto `req.body`, in place of express.json: it stops the moment the body
 * passes the limit or pauses longer than the idle timeout, where body-parser read a refused
 * body to its end before answering. Either refusal closes the connection.
 */
export function readJsonBody({ limit, idleTimeoutMs, verify }: BodyLimits): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    req.body = undefined;
    if (!hasBody(req)) return next();
    let decoder: TextDecoder;
    let stream: Readable | NodeJS.ReadWriteStream;
    try {
      decoder = decoderFor(req);
      stream = contentStream(req);
    } catch (error) {
      return next(error);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const idle = setTimeout(() => stop(new AppError('request-timeout', `The request body stopped arriving: nothing came for ${idleTimeoutMs / 1000} s.`), true), idleTimeoutMs);

    function stop(error: unknown, close: boolean) {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off('data', progress).off('aborted', aborted).off('close', aborted);
      stream.off('data', collect).off('end', end).off('error', corrupt);
      if (stream !== req) {
        req.unpipe(stream as NodeJS.WritableStream);
        (stream as unknown as Readable).destroy();
      }
      req.pause();
      if (close) closeAfterAnswer(res);
      next(error);
    }
    function progress() {
      idle.refresh();
    }
    function collect(chunk: Buffer) {
      received += chunk.length;
      if (received > limit) return stop(new AppError('payload-too-large', `The request body is larger than the limit of ${limit} bytes.`), true);
      chunks.push(chunk);
    }
    function end() {
      if (settled) return;
      try {
        const bytes = Buffer.concat(chunks);
        verify?.(req, res, bytes);
        req.body = parse(decoder.decode(bytes));
        stop(undefined, false);
      } catch (error) {
        stop(error, false);
      }
    }
    function corrupt() {
      stop(new AppError('malformed-request', 'The request body could not be read (corrupt or truncated encoding).'), true);
    }
    function aborted() {
      if (!req.complete) stop(new AppError('malformed-request', 'The request body ended before its declared length.'), true);
    }

    req.on('data', progress).on('aborted', aborted).on('close', aborted);
    stream.on('data', collect).on('end', end).on('error', corrupt);
  };
}

/**
 * Before anything else is done for it (who the caller is included), a request whose
 * declared Content-Length passes the limit is refused and its body never read.
 */
export function refuseDeclaredOversizedBody(limit: number): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.headers['content-length']);
    if (!(declared > limit)) return next();
    closeAfterAnswer(res);
    next(new AppError('payload-too-large', `The request body (${declared} bytes declared) is larger than the limit of ${limit} bytes.`));
  };
}
