import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../problems/app-error.js';

/**
 * The shape of a JSON body the API reads at all, checked on its bytes before JSON.parse.
 * The largest valid body (an organization with every list and map full) nests 3 levels and
 * holds about 250 values; its expanded JSON-LD form 462 (the JSON-LD limits are the same).
 * Past these limits a body could only make work: JSON.parse alone takes 100 to 200 ms for
 * 150,000 nested arrays (293 KB), 20 to 60 ms for 450,000 numbers (0.9 MB), and grows faster
 * than the key count for one wide object (0.5 ms for 2,000 keys, 20 to 40 ms for 9,000, in
 * 88 KB); every later pass (the idempotency fingerprint, text checks, JSON-LD, merge patch)
 * would then walk what it built. The scan stops at the first limit crossed, and reads an
 * honest megabyte in about 1 to 3 ms.
 */
export const JSON_STRUCTURE_LIMITS = {
  /** Arrays and objects inside one another, the body itself included. */
  depth: 32,
  /** Every value: the body, each array item and each object member (keys are not counted). */
  values: 1_000,
} as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const isOpener = (byte: number) => byte === 0x5b || byte === 0x7b; // [ {
const isCloser = (byte: number) => byte === 0x5d || byte === 0x7d; // ] }
const isWhitespace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Where the string starting at `open` (its quote) ends: the next quote not escaped by an odd run of backslashes. */
function stringEnd(bytes: Uint8Array, open: number): number {
  let close = bytes.indexOf(QUOTE, open + 1);
  while (close !== -1) {
    let backslashes = 0;
    while (bytes[close - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = bytes.indexOf(QUOTE, close + 1);
  }
  return bytes.length; // unterminated: JSON.parse will say so
}

/**
 * The first limit the body crosses, in words, or undefined. One pass over UTF-8 bytes, no
 * recursion: bytes of multi-byte characters are all 0x80 or above, so nothing inside a string
 * is taken for structure. Malformed JSON is left for JSON.parse to refuse.
 */
export function structureExcess(bytes: Uint8Array, limits = JSON_STRUCTURE_LIMITS): string | undefined {
  let depth = 0;
  let values = 1;
  let opened = false; // just after [ or {: the next token, unless it closes, is a first entry
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (isWhitespace(byte)) continue;
    if (opened && !isCloser(byte)) values++;
    opened = false;
    if (byte === QUOTE) i = stringEnd(bytes, i);
    else if (byte === COMMA) values++;
    else if (isCloser(byte)) depth--;
    else if (isOpener(byte)) {
      opened = true;
      if (++depth > limits.depth) return `it nests more than ${limits.depth} levels of arrays and objects`;
    }
    if (values > limits.values) return `it holds more than ${limits.values.toLocaleString('en-US')} values`;
  }
  return undefined;
}

/**
 * body-parser's `verify` hook: it sees the decoded bytes before JSON.parse does, and what it
 * throws is passed on as the request's error (a 422 document-too-complex problem).
 */
export function refuseComplexStructure(_req: IncomingMessage, _res: ServerResponse, bytes: Buffer): void {
  const excess = structureExcess(bytes);
  if (excess) throw new AppError('document-too-complex', `The body is not read: ${excess}.`);
}
