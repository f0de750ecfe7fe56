/** The part of rdf-canonize (jsonld.js's canonicalizer, RDFC-1.0) the tests use; it ships no types. */
declare module 'rdf-canonize' {
  export interface Term {
    termType: string;
    value: string;
    datatype?: Term;
    language?: string;
  }
  export interface Quad {
    subject: Term;
    predicate: Term;
    object: Term;
    graph: Term;
  }
  const rdfCanonize: {
    NQuads: { parse(text: string): Quad[] };
    canonize(input: Quad[], options: { algorithm: 'RDFC-1.0' }): Promise<string>;
  };
  export default rdfCanonize;
}
