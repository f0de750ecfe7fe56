/** Characters RFC 3986 allows in a path as they are; `%` only when it starts an escape. */
const PATH_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

function percentEncoded(path: string): string {
  // Node hands the request target over as latin1: one character per byte.
  const bytes = Buffer.from(path, 'latin1');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const char = String.fromCharCode(bytes[i]);
    const escape = char === '%' && /^[0-9A-Fa-f]{2}$/.test(bytes.subarray(i + 1, i + 3).toString('latin1'));
    out += PATH_CHAR.test(char) || escape ? char : `%${bytes[i].toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The request's path as a relative reference (RFC 3986 §4.2) that resolves to this very
 * path: never its query (which may carry a token a client put there), characters a URI
 * may not hold percent-encoded, and a path starting with `//` written `/.//` so it cannot
 * be read as another host (§5.3).
 */
export function requestPath(target: string): string {
  const absoluteForm = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
  const raw = absoluteForm ? target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') : target;
  const path = percentEncoded(raw.split(/[?#]/)[0]) || '/';
  if (path.startsWith('//')) return `/.${path}`;
  return path.startsWith('/') ? path : `/${path}`;
}
