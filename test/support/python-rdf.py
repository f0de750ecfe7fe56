"""Turns JSON-LD documents into N-Quads with pyld and rdflib, for test/rdf-processors.test.ts.

Reads {"contexts": {absolute URL: context document}, "documents": [{"name", "base", "document"}]}
on stdin and writes {name: {"pyld": N-Quads or {"error"}, "rdflib": ...}} on stdout. Run with
Debian's /usr/bin/python3 (python3-pyld, python3-rdflib). Nothing is ever fetched: contexts
come from the input, and any attempt to open a URL fails.
"""
import copy
import json
import sys
import urllib.parse
import urllib.request

import rdflib
from pyld import jsonld


def no_network(*args, **kwargs):
    raise RuntimeError(f'network access refused: {args[0] if args else kwargs}')


urllib.request.urlopen = no_network


def main():
    request = json.load(sys.stdin)
    contexts = request['contexts']

    def context_at(url):
        if url not in contexts:
            raise RuntimeError(f'not one of the API contexts: {url}')
        return contexts[url]

    def pyld_loader(url, options=None):
        return {'contextUrl': None, 'documentUrl': url, 'document': context_at(url)}

    def inline(value, base):
        """rdflib 6 fetches context URLs itself: give it the documents in their place."""
        if isinstance(value, list):
            return [inline(item, base) for item in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key == '@context':
                refs = item if isinstance(item, list) else [item]
                resolved = [context_at(urllib.parse.urljoin(base, ref))['@context'] if isinstance(ref, str) else ref for ref in refs]
                out[key] = resolved if isinstance(item, list) else resolved[0]
            else:
                out[key] = inline(item, base)
        return out

    def with_pyld(document, base):
        options = {'base': base, 'format': 'application/n-quads', 'documentLoader': pyld_loader}
        return jsonld.to_rdf(copy.deepcopy(document), options)

    def with_rdflib(document, base):
        # Our representations hold no named graph: the default graph is all there is.
        graph = rdflib.Graph()
        graph.parse(data=json.dumps(inline(document, base)), format='json-ld', base=base)
        return graph.serialize(format='nt')

    answers = {}
    for entry in request['documents']:
        answer = {}
        for name, process in (('pyld', with_pyld), ('rdflib', with_rdflib)):
            try:
                answer[name] = process(entry['document'], entry['base'])
            except Exception as error:  # reported to the test, which names the processor and document
                answer[name] = {'error': f'{type(error).__name__}: {error}'}
        answers[entry['name']] = answer
    json.dump(answers, sys.stdout)


main()
