import { resources } from '../resources/registry.js';

/**
 * Query parameters whose values are logged: the ones the API reads (pagination and each
 * collection's search variables). Any other value might be a secret a client put in the
 * URL (`?access_token=lo_…`) and is logged as `[redacted]`.
 */
const LOGGED_PARAMETERS = new Set(['page', 'itemsPerPage', 'after', 'before', ...resources.flatMap((r) => Object.keys(r.search ?? {}))]);

/** Our tokens (`lo_` + base64url); JSON Web Tokens (`eyJ….….…`), which other systems' clients may send. */
const SECRET = /lo_[A-Za-z0-9_-]{4,}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function looksSecret(text: string): boolean {
  return SECRET.test(text) || SECRET.test(decoded(text));
}

function safeQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const [name, ...value] = pair.split('=');
      if (value.length === 0) return looksSecret(name) ? '[redacted]' : name;
      const keep = LOGGED_PARAMETERS.has(decoded(name)) && !looksSecret(value.join('='));
      return `${looksSecret(name) ? '[redacted]' : name}=${keep ? value.join('=') : '[redacted]'}`;
    })
    .join('&');
}

/** The request target as logged: path segments and query values that may hold a secret replaced. */
export function loggableUrl(url: string): string {
  const at = url.search(/[?#]/);
  const path = at < 0 ? url : url.slice(0, at);
  const safePath = path.split('/').map((segment) => (looksSecret(segment) ? '[redacted]' : segment)).join('/');
  if (at < 0) return safePath;
  const query = url.slice(at + 1).split('#')[0];
  return `${safePath}?${safeQuery(query)}`;
}
