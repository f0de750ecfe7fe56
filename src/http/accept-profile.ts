/** The JSON-LD forms we produce besides compacted, the default, by their profile IRI. */
export const PROFILES = {
  expanded: 'http://www.w3.org/ns/json-ld#expanded',
  flattened: 'http://www.w3.org/ns/json-ld#flattened',
} as const;

export type Profile = keyof typeof PROFILES;

const BY_IRI = new Map(Object.entries(PROFILES).map(([name, iri]) => [iri as string, name as Profile]));

/** Splits on `separator` outside double quotes: a profile list may be quoted. Linear, unlike a look-ahead regex. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

function parameter(params: string[], name: string): string | undefined {
  const found = params.find((p) => p.slice(0, name.length + 1).toLowerCase() === `${name}=`);
  return found?.slice(name.length + 1).replace(/^"(.*)"$/, '$1');
}

/** The first profile of a space-separated list that we produce; unknown ones are ignored. */
function knownProfile(list: string | undefined): Profile | undefined {
  return list?.split(/\s+/).map((iri) => BY_IRI.get(iri)).find((profile) => profile !== undefined);
}

export interface ProfiledAccept {
  /** The Accept header without profile parameters, for the usual negotiation. */
  accept: string;
  /** The profile of the most preferred application/ld+json range, if we produce it. */
  profile?: Profile;
}

/** Express's negotiator refuses `application/ld+json; profile=...` against a plain offer, hence this. */
export function readProfiles(header: string): ProfiledAccept {
  let best: { q: number; profile?: Profile } = { q: 0 };
  const ranges = splitOutsideQuotes(header, ',').map((range) => {
    const [type = '', ...params] = splitOutsideQuotes(range, ';');
    const q = Number(parameter(params, 'q') ?? 1);
    if (type.toLowerCase() === 'application/ld+json' && q > best.q) best = { q, profile: knownProfile(parameter(params, 'profile')) };
    return [type, ...params.filter((p) => parameter([p], 'profile') === undefined)].join(';');
  });
  return { accept: ranges.join(','), profile: best.profile };
}
