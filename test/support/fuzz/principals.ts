/**
 * Who the fuzzer calls as: partners in every relation to the seeded organizations (owner,
 * admin, member, stranger, invitee, installed integration), a token with few scopes, no token,
 * and bad credentials. Credentials are sent the ways the document's security schemes say.
 */
import { issueToken, revokeToken } from '../../../src/resources/partner/partner-use-cases.js';
import type { Scope } from '../../../src/resources/partner/scopes.js';
import type { Api } from '../harness.js';
import type { Json } from './openapi-operations.js';
import type { SeededRandom } from './seeded-random.js';

export interface Principal {
  name: string;
  email?: string;
  /** The headers that carry its credential, one way or another the document allows. */
  credential(rng: SeededRandom): Record<string, string>;
}

export interface Principals {
  owner: Principal;
  admin: Principal;
  member: Principal;
  stranger: Principal;
  invitee: Principal;
  integration: Principal;
  fewScopes: Principal;
  anonymous: Principal;
  badToken: Principal;
  /** The scopes the integration is installed with. */
  integrationScopes: string[];
}

/** Header sets for a token, one per security scheme of the document that can carry a bearer token. */
function schemeHeaders(document: Json): ((token: string) => Record<string, string>)[] {
  const schemes = Object.values((document.components?.securitySchemes ?? {}) as Json);
  const ways = schemes.flatMap((scheme: Json) => {
    if (scheme.type === 'http' && /^bearer$/i.test(scheme.scheme)) return [(token: string) => ({ Authorization: `Bearer ${token}` })];
    if (scheme.type === 'apiKey' && scheme.in === 'header') return [(token: string) => ({ [scheme.name]: token })];
    return [];
  });
  if (!ways.length) throw new Error('The document has no security scheme the fuzzer can send a token with');
  return ways;
}

function withToken(name: string, token: string, ways: ReturnType<typeof schemeHeaders>, email?: string): Principal {
  return { name, email, credential: (rng) => rng.pick(ways)(token) };
}

export async function createPrincipals(api: Api, document: Json, scopes: string[], rng: SeededRandom): Promise<Principals> {
  const ways = schemeHeaders(document);
  const partner = async (name: string) => {
    const created = await api.partner(`Fuzz ${name}`);
    return withToken(name, created.token, ways, created.email);
  };
  const owner = await partner('owner');
  const ownerEmail = owner.email!;
  const fewScopes = await issueToken(api.db, ownerEmail, { scopes: rng.some(scopes, 1, 2) as Scope[] });
  const revoked = await issueToken(api.db, ownerEmail);
  await revokeToken(api.db, revoked.id);
  const bad: Record<string, string>[] = [
    { Authorization: `Bearer lo_${'A'.repeat(43)}` },
    { Authorization: `Bearer ${revoked.token}` },
    { Authorization: 'Bearer ' },
    { Authorization: 'Basic dXNlcjpwYXNz' },
    { Authorization: `Bearer ${revoked.token.slice(0, -3)}` },
    { Authorization: 'Bearer not a token at all' },
    { 'X-API-Key': 'lo_' },
  ];
  return {
    owner,
    admin: await partner('admin'),
    member: await partner('member'),
    stranger: await partner('stranger'),
    invitee: await partner('invitee'),
    integration: await partner('integration'),
    fewScopes: withToken(`few-scopes (${fewScopes.scopes.join(' ')})`, fewScopes.token, ways),
    anonymous: { name: 'no token', credential: () => ({}) },
    badToken: { name: 'bad token', credential: (r) => r.pick(bad) },
    integrationScopes: rng.some(scopes, 1, 3),
  };
}

export function principalNamed(principals: Principals, name: string): Principal | undefined {
  return Object.values(principals).find((p): p is Principal => typeof p === 'object' && 'credential' in p && p.name === name);
}
