// Every request the explorer makes: JSON-LD, with the token this tab holds.
const TOKEN_KEY = 'linked-orgs.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
};

export function parseLinks(header) {
  if (!header) return [];
  return header.split(/,\s*(?=<)/).map((part) => {
    const [, target = '', params = ''] = /^<([^>]*)>(.*)$/.exec(part.trim()) ?? [];
    const rel = /rel="?([^";]+)"?/.exec(params)?.[1] ?? '';
    return { target, rel, params: params.replace(/^\s*;\s*/, '') };
  });
}

export async function call(url, { method = 'GET', body, contentType = 'application/ld+json' } = {}) {
  const headers = { Accept: 'application/ld+json' };
  const bearer = token.get();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  const raw = await res.text();
  let data;
  try {
    data = raw ? JSON.parse(raw) : undefined;
  } catch {
    data = undefined;
  }
  return { method, url, status: res.status, statusText: res.statusText, ok: res.ok, headers: res.headers, links: parseLinks(res.headers.get('link')), location: res.headers.get('location'), data, raw };
}
