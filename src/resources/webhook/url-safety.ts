import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must not reach: loopback, private, link-local (cloud metadata at
 * 169.254.169.254 among them), carrier-grade NAT, unspecified, multicast and reserved ranges,
 * and their IPv6 forms (IPv4-mapped addresses are checked as IPv4).
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['fd00:ec2::', 32]] as const) FORBIDDEN.addSubnet(network, prefix, 'ipv6');

export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return FORBIDDEN.check(mapped[1], 'ipv4');
  return FORBIDDEN.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** Why a URL is refused: a violation code, worded once in src/problems/violation.ts. */
export type UrlRefusal = 'invalid_url' | 'https_required' | 'credentials_in_url' | 'unresolvable_host' | 'forbidden_address';
export type UrlVerdict = { ok: true; url: URL; addresses: string[] } | { ok: false; refusal: UrlRefusal; host: string };

const LOOKUP_TIMEOUT_MS = 3_000;

async function resolve(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS)));
  try {
    return (await Promise.race([lookup(host, { all: true, verbatim: true }), timeout])).map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a webhook may be sent to this URL now: https (http only for WEBHOOK_ALLOWED_HOSTS),
 * no credentials in it, and a host that resolves only to public addresses unless it is allowed.
 * Checked at registration and again before every delivery, so a name that later resolves to
 * a private address (DNS rebinding) is refused then; the delivery connects to the address checked.
 */
export async function checkWebhookUrl(raw: string, allowedHosts: readonly string[]): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, refusal: 'invalid_url', host: '' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = allowedHosts.includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) return { ok: false, refusal: 'https_required', host };
  if (url.username || url.password) return { ok: false, refusal: 'credentials_in_url', host };
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return { ok: false, refusal: 'unresolvable_host', host };
  }
  if (addresses.length === 0) return { ok: false, refusal: 'unresolvable_host', host };
  if (!allowed && addresses.some(isForbiddenAddress)) return { ok: false, refusal: 'forbidden_address', host };
  return { ok: true, url, addresses };
}
