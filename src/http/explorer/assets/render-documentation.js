// The Hydra API documentation as a page: each class, its properties and its operations.
import { linkOperations, rangeOf } from './api-documentation.js';
import { el, scrolling } from './dom.js';

function operationItem(op, via) {
  const details = [op.expects && `expects ${op.expects}`, op.returns && `returns ${op.returns}`, op.required_scope && `scope ${op.required_scope}`].filter(Boolean);
  return el('li', {}, el('code', {}, op['hydra:method']), ' ', op['hydra:title'] ?? '', via ? el('em', {}, ` via ${via}`) : '', details.length ? el('small', {}, ` (${details.join(', ')})`) : '');
}

function classSection(c) {
  const properties = c['hydra:supportedProperty'] ?? [];
  const head = el('tr', {}, ['Property', 'Range', 'Required', 'Writeable', 'Description'].map((t) => el('th', { scope: 'col' }, t)));
  const rows = properties.map((p) =>
    el('tr', {}, el('th', { scope: 'row' }, p['hydra:title']), el('td', {}, rangeOf(p) ?? ''), el('td', {}, p['hydra:required'] ? 'yes' : 'no'), el('td', {}, p['hydra:writeable'] ? 'yes' : 'no'), el('td', { class: 'description' }, p['hydra:description'] ?? '')),
  );
  const operations = [
    ...(c['hydra:supportedOperation'] ?? []).map((op) => operationItem(op)),
    ...properties.flatMap((p) => linkOperations(p).map((op) => operationItem(op, p['hydra:title']))),
  ];
  return el('section', { class: 'class', id: `class-${c['rdfs:label'] ?? c['@id']}` },
    el('h2', {}, c['hydra:title'] ?? c['@id'], ' ', el('code', {}, c['@id'])),
    el('p', {}, c['hydra:description'] ?? ''),
    properties.length ? scrolling(el('table', { class: 'properties' }, el('thead', {}, head), el('tbody', {}, rows))) : '',
    operations.length ? el('ul', { class: 'operations' }, operations) : '',
  );
}

/** The vocabulary the documentation describes (its schema:about), whose terms the `lo:` IRIs name. */
function vocabularyNote(doc) {
  const vocabulary = doc.about?.['@id'];
  if (!vocabulary) return '';
  return el('p', { class: 'vocabulary' }, `${doc.about['rdfs:label'] ?? 'Vocabulary'}: `, el('code', {}, `${vocabulary}#`), ' (lo: below), the same for every deployment.');
}

export function renderDocumentation(docs) {
  const { doc, classes } = docs;
  return el('div', { class: 'documentation' },
    el('h1', {}, doc['hydra:title'] ?? 'API documentation'),
    el('p', {}, doc['hydra:description'] ?? ''),
    vocabularyNote(doc),
    el('nav', { 'aria-label': 'Classes' }, el('ul', { class: 'plain inline' }, classes.map((c) => el('li', {}, el('a', { href: `#class-${c['rdfs:label'] ?? c['@id']}` }, c['hydra:title'] ?? c['@id']))))),
    classes.map(classSection),
  );
}
