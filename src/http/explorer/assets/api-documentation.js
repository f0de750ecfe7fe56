// The Hydra API documentation, read once per page: classes by JSON-LD type, their properties and operations.
import { call } from './api-client.js';

let loading;

export function loadDocumentation() {
  loading ??= call('/api/docs.jsonld').then((r) => indexDocumentation(r.data ?? {}));
  return loading;
}

function indexDocumentation(doc) {
  const classes = doc['hydra:supportedClass'] ?? [];
  const byName = new Map();
  for (const c of classes) {
    byName.set(c['@id'], c);
    if (c['rdfs:label']) byName.set(c['rdfs:label'], c);
  }
  return {
    doc,
    classes,
    classNamed: (name) => byName.get(name),
    /** The documented classes of a node's @type, with the classes they specialize. */
    // A class's superclasses come with it: a 422 (ConstraintViolationList) is a hydra:Error too.
    classesOf: (types) => [types].flat().map((t) => byName.get(t)).filter(Boolean).flatMap((c) => [c, ...(c.subClassOf && byName.get(c.subClassOf) ? [byName.get(c.subClassOf)] : [])]),
  };
}

export const propertiesOf = (classes) => classes.flatMap((c) => c['hydra:supportedProperty'] ?? []);

export function describedProperty(classes, key) {
  return propertiesOf(classes).find((p) => p['hydra:title'] === key);
}

/** What a property's value is in its class: SHACL's sh:datatype or sh:class (every property has one), else the term's rdfs:range. */
export const rangeOf = (property) => property['sh:datatype'] ?? property['sh:class'] ?? (typeof property['hydra:property'] === 'object' ? property['hydra:property'].range : undefined);

/** Operations reachable through a link property (the collection's POST, an invitation's accept). */
export function linkOperations(property) {
  const target = property['hydra:property'];
  return typeof target === 'object' && target['@type'] === 'hydra:Link' ? target['hydra:supportedOperation'] ?? [] : [];
}

export const operationsOf = (classes) => classes.flatMap((c) => c['hydra:supportedOperation'] ?? []);
