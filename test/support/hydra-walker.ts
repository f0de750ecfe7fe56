import jsonld from 'jsonld';
import { parse as parseStrictTemplate } from 'uri-template';

/**
 * A generic Hydra client that knows nothing of Linked Orgs' paths: it reads the API
 * documentation for which properties lead somewhere (hydra:Link with a GET) and which of those
 * lead to a hydra:Collection, starts at the entrypoint, and follows only links found in answers.
 * Everything is read after jsonld.js expansion, by Hydra IRIs, never by our compacted keys.
 */

export const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDFS_RANGE = 'http://www.w3.org/2000/01/rdf-schema#range';
/** Bounds, so that a link loop or an endless hydra:next fails the walk instead of hanging it. */
const MAX_PAGES_PER_COLLECTION = 50;
const MAX_REQUESTS_PER_CRAWL = 3000;
const VIEW_LINKS = ['first', 'last', 'previous', 'next'].map((name) => HYDRA + name);

type Node = Record<string, { '@id'?: string; '@value'?: unknown }[]> & { '@id': string; '@type'?: string[] };
type Graph = Map<string, Node>;

const ids = (node: Node | undefined, property: string) => (node?.[property] ?? []).flatMap((v) => (v['@id'] === undefined ? [] : [v['@id']]));
const values = (node: Node | undefined, property: string) => (node?.[property] ?? []).map((v) => v['@value']);

/** What the documentation says about link properties. */
export interface LinkFacts {
  /** hydra:Link properties with a GET operation: a client may follow them. */
  followable: Set<string>;
  /** Those of them whose range, or whose GET's hydra:returns, is hydra:Collection. */
  collections: Set<string>;
}

export function linkFacts(documentation: Graph): LinkFacts {
  const facts: LinkFacts = { followable: new Set(), collections: new Set() };
  for (const node of documentation.values()) {
    if (!node['@type']?.includes(HYDRA + 'Link')) continue;
    const get = ids(node, HYDRA + 'supportedOperation').map((id) => documentation.get(id)).find((op) => values(op, HYDRA + 'method').includes('GET'));
    if (!get) continue;
    facts.followable.add(node['@id']);
    if ([...ids(node, RDFS_RANGE), ...ids(get, HYDRA + 'returns')].includes(HYDRA + 'Collection')) facts.collections.add(node['@id']);
  }
  return facts;
}

/** One collection walked along hydra:next. */
export interface Walk {
  iri: string;
  /** The documented property that led to it. */
  via: string;
  totalItems: number[];
  members: string[];
  pages: string[];
  /** hydra:view links that are not absolute http(s) IRIs on the API's origin. */
  invalidViewLinks: string[];
  /** True when the walk stopped at a page without hydra:next, false when a bound stopped it. */
  ended: boolean;
  search?: { template: string; variables: string[]; refusal?: string; expandedEmpty?: string };
  /** The walk again through the search template with itemsPerPage=7, where the template offers that variable. */
  smallPages?: Walk;
}

/** An answer other than 200, with the problem type the body names. */
export class Refused extends Error {
  /** The documented collection property that led there, when it was a collection. */
  via?: string;
  constructor(
    readonly iri: string,
    readonly status: number,
    readonly problemType: string | undefined,
  ) {
    super(`GET ${iri}: ${status} ${problemType}`);
  }
}

export class HydraWalker {
  requests = 0;
  /** Links the caller found but may not follow (an integration and the audit trail): the first GET was refused. */
  readonly refused: Refused[] = [];
  private readonly contexts = new Map<string, object>();

  constructor(
    readonly base: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** GETs a resource and returns its flattened, expanded graph by node IRI. */
  async load(iri: string): Promise<Graph> {
    if (++this.requests > MAX_REQUESTS_PER_CRAWL) throw new Error(`more than ${MAX_REQUESTS_PER_CRAWL} requests`);
    const res = await fetch(iri, { headers: { ...this.headers, Accept: 'application/ld+json' } });
    if (res.status !== 200) throw new Refused(iri, res.status, ((await res.json()) as { type?: string }).type);
    const options = { base: iri, documentLoader: (url: string) => this.context(url), safe: true } as unknown as jsonld.Options.Flatten;
    const flat = (await jsonld.flatten((await res.json()) as jsonld.JsonLdDocument, null as unknown as jsonld.ContextDefinition, options)) as unknown as Node[];
    return new Map(flat.map((node) => [node['@id'], node]));
  }

  /** Contexts come from the API itself and from nowhere else. */
  private async context(url: string) {
    if (new URL(url).origin !== new URL(this.base).origin) throw new Error(`refusing to load ${url}`);
    if (!this.contexts.has(url)) this.contexts.set(url, (await (await fetch(url, { headers: { Accept: 'application/ld+json' } })).json()) as object);
    return { contextUrl: undefined, documentUrl: url, document: this.contexts.get(url) };
  }

  /** From the entrypoint, every collection reachable by documented links, each walked to its end. */
  async crawl(entrypoint: string, facts: LinkFacts): Promise<Walk[]> {
    const queued = new Set([entrypoint]);
    const queue: { iri: string; via?: string }[] = [{ iri: entrypoint }];
    const walks: Walk[] = [];
    const follow = (graph: Graph) => {
      for (const node of graph.values())
        for (const property of facts.followable)
          for (const target of ids(node, property))
            if (!queued.has(target)) queued.add(target), queue.push({ iri: target, via: facts.collections.has(property) ? property : undefined });
    };
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        if (next.via) walks.push(await this.walk(next.iri, next.via, follow));
        else follow(await this.load(next.iri));
      } catch (error) {
        // Only a refusal of the link itself is the caller's lot; one in the middle of a walk is a fault.
        if (!(error instanceof Refused) || error.iri !== next.iri) throw error;
        this.refused.push(Object.assign(error, { via: next.via }));
      }
    }
    return walks;
  }

  /** Follows hydra:next from `first` to the end, collecting members, totals and view links. */
  async walk(iri: string, via: string, onPage: (graph: Graph) => void = () => undefined, first = iri): Promise<Walk> {
    const walk: Walk = { iri, via, totalItems: [], members: [], pages: [], invalidViewLinks: [], ended: false };
    for (let page: string | undefined = first; page; ) {
      if (walk.pages.length >= MAX_PAGES_PER_COLLECTION || walk.pages.includes(page)) return walk;
      const graph = await this.load(page);
      walk.pages.push(page);
      onPage(graph);
      const collection = graph.get(iri);
      if (!collection?.['@type']?.includes(HYDRA + 'Collection')) throw new Error(`${page} does not describe the collection ${iri}`);
      walk.totalItems.push(...(values(collection, HYDRA + 'totalItems') as number[]));
      walk.members.push(...ids(collection, HYDRA + 'member'));
      walk.search ??= this.search(graph, collection, page);
      const [viewIri] = ids(collection, HYDRA + 'view');
      if (viewIri !== page) walk.invalidViewLinks.push(`view ${viewIri} of ${page}`);
      const view = graph.get(viewIri ?? '');
      for (const link of VIEW_LINKS) for (const target of view?.[link] ?? []) if (!this.isApiIri(target['@id'])) walk.invalidViewLinks.push(`${link} ${JSON.stringify(target)}`);
      page = ids(view, HYDRA + 'next')[0];
    }
    walk.ended = true;
    return walk;
  }

  /** Walks a collection again from its search template, expanded by a strict RFC 6570 parser. */
  async walkSmallPages(walk: Walk, itemsPerPage: number): Promise<void> {
    if (!walk.search || walk.search.refusal || !walk.search.variables.includes('itemsPerPage')) return;
    const first = new URL(parseStrictTemplate(walk.search.template).expand({ itemsPerPage }), walk.iri).href;
    walk.smallPages = await this.walk(walk.iri, walk.via, undefined, first);
  }

  private search(graph: Graph, collection: Node, page: string): Walk['search'] {
    const node = graph.get(ids(collection, HYDRA + 'search')[0] ?? '');
    const [template] = values(node, HYDRA + 'template') as string[];
    if (template === undefined) return undefined;
    const variables = ids(node, HYDRA + 'mapping').flatMap((id) => values(graph.get(id), HYDRA + 'variable') as string[]);
    try {
      return { template, variables, expandedEmpty: new URL(parseStrictTemplate(template).expand({}), page).href };
    } catch (error) {
      return { template, variables, refusal: (error as Error).message };
    }
  }

  private isApiIri(iri: string | undefined): boolean {
    if (iri === undefined || !URL.canParse(iri)) return false;
    const url = new URL(iri);
    return url.origin === new URL(this.base).origin && url.href === iri;
  }
}
