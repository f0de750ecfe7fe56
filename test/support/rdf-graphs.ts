import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import jsonld from 'jsonld';
import { JsonLdParser } from 'jsonld-streaming-parser';
import rdfCanonize, { type Quad, type Term } from 'rdf-canonize';

/** One representation as a client received it: its JSON-LD and the URL relative IRIs resolve against. */
export interface Representation {
  name: string;
  base: string;
  document: unknown;
}

/** Our contexts by absolute URL, fetched beforehand: no processor ever loads anything else. */
export type Contexts = Map<string, { '@context': unknown }>;

export const PROCESSORS = ['jsonld.js', 'jsonld-streaming-parser', 'pyld', 'rdflib'] as const;
export type Processor = (typeof PROCESSORS)[number];

const PYTHON = '/usr/bin/python3';
const PYTHON_SCRIPT = path.join(process.cwd(), 'test', 'support', 'python-rdf.py');
const XSD_DATE_TIME = 'http://www.w3.org/2001/XMLSchema#dateTime';

/** Debian's python3-pyld and python3-rdflib, which the graph comparison needs. */
export function pythonProcessorsInstalled(): boolean {
  return spawnSync(PYTHON, ['-c', 'import pyld, rdflib'], { stdio: 'ignore' }).status === 0;
}

function contextAt(contexts: Contexts, url: string) {
  const context = contexts.get(url);
  if (!context) throw new Error(`refusing to load ${url}: not one of the API's contexts`);
  return context;
}

async function withJsonLdJs(representation: Representation, contexts: Contexts): Promise<Quad[]> {
  const documentLoader = async (url: string) => ({ contextUrl: undefined, documentUrl: url, document: contextAt(contexts, url) });
  // `safe`: a triple jsonld.js would drop (a relative IRI among them) fails instead. A context
  // document describes nothing, and safe mode would call its one empty node a loss.
  const document = representation.document as Record<string, unknown>;
  const bareContext = Object.keys(document).length === 1 && '@context' in document;
  const options = { base: representation.base, documentLoader, safe: !bareContext } as unknown as jsonld.Options.ToRdf;
  return (await jsonld.toRDF(representation.document as jsonld.JsonLdDocument, options)) as unknown as Quad[];
}

function withStreamingParser(representation: Representation, contexts: Contexts): Promise<Quad[]> {
  const documentLoader = { load: async (url: string) => contextAt(contexts, url) };
  const parser = new JsonLdParser({ baseIRI: representation.base, documentLoader: documentLoader as never });
  const quads: Quad[] = [];
  return new Promise((resolve, reject) => {
    parser.on('data', (quad: Quad) => quads.push(quad));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.end(JSON.stringify(representation.document));
  });
}

type PythonAnswer = Record<string, Record<'pyld' | 'rdflib', string | { error: string }>>;

/** pyld and rdflib read every representation in one Python process (test/support/python-rdf.py). */
function withPython(representations: Representation[], contexts: Contexts): PythonAnswer {
  const input = JSON.stringify({ contexts: Object.fromEntries(contexts), documents: representations });
  return JSON.parse(execFileSync(PYTHON, [PYTHON_SCRIPT], { input, maxBuffer: 64 * 1024 * 1024 }).toString()) as PythonAnswer;
}

/** Every processor's quads for every representation, or the error a processor raised. */
export async function quadsFromEveryProcessor(representations: Representation[], contexts: Contexts) {
  const python = withPython(representations, contexts);
  const results = new Map<string, Record<Processor, Quad[] | Error>>();
  for (const representation of representations) {
    const attempt = (work: () => Promise<Quad[]>) => work().catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    const fromPython = (name: 'pyld' | 'rdflib') => async () => {
      const answer = python[representation.name][name];
      if (typeof answer !== 'string') throw new Error(answer.error);
      return rdfCanonize.NQuads.parse(answer);
    };
    results.set(representation.name, {
      'jsonld.js': await attempt(() => withJsonLdJs(representation, contexts)),
      'jsonld-streaming-parser': await attempt(() => withStreamingParser(representation, contexts)),
      pyld: await attempt(fromPython('pyld')),
      rdflib: await attempt(fromPython('rdflib')),
    });
  }
  return results;
}

const ABSOLUTE_IRI = /^[a-z][a-z0-9+.-]*:/i;

/** IRIs (not blank nodes, not literals' values) that are not absolute: never valid in N-Quads. */
export function relativeIris(quads: Quad[]): string[] {
  const terms = quads.flatMap((q) => [q.subject, q.predicate, q.object, q.graph, ...(q.object.datatype ? [q.object.datatype] : [])]);
  return terms.filter((t) => t.termType === 'NamedNode' && !ABSOLUTE_IRI.test(t.value)).map((t) => t.value);
}

/** rdflib writes `…T03:04:05.678000+00:00` for `…T03:04:05.678Z`: one instant, so compared as one. */
function byValue(term: Term): Term {
  const plain: Term = { termType: term.termType, value: term.value };
  if (term.termType !== 'Literal') return plain;
  const datatype = { termType: 'NamedNode', value: term.datatype?.value ?? 'http://www.w3.org/2001/XMLSchema#string' };
  const value = datatype.value === XSD_DATE_TIME ? new Date(term.value).toISOString() : term.value;
  return { ...plain, value, datatype, ...(term.language ? { language: term.language } : {}) };
}

/**
 * The RDFC-1.0 canonical N-Quads of a graph, dateTime literals by value: equal strings are
 * isomorphic graphs. A graph is a set, and jsonld-streaming-parser emits a quad once per
 * place it meets it (an owner is also a member), so duplicates go first.
 */
export function canonical(quads: Quad[]): Promise<string> {
  const graph = { termType: 'DefaultGraph', value: '' };
  const plain = quads.map((q) => ({ subject: byValue(q.subject), predicate: byValue(q.predicate), object: byValue(q.object), graph: q.graph.termType === 'DefaultGraph' ? graph : byValue(q.graph) }));
  const unique = [...new Map(plain.map((q) => [JSON.stringify(q), q])).values()];
  return rdfCanonize.canonize(unique, { algorithm: 'RDFC-1.0' });
}

/** The vocabulary a graph speaks: its predicates and the classes it types nodes with. */
export function vocabularyOf(quads: Quad[]): string[] {
  const type = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
  const terms = quads.flatMap((q) => (q.predicate.value === type ? [q.predicate.value, q.object.value] : [q.predicate.value]));
  return [...new Set(terms)].sort();
}
