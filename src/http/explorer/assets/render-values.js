// A JSON-LD node as tables: one row per property, IRIs as links, embedded nodes as rows of their own.
import { describedProperty } from './api-documentation.js';
import { el, localPath, scrolling } from './dom.js';

const isNode = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && ('@id' in value || '@type' in value);
const isScalar = (value) => value === null || typeof value !== 'object';

export function link(iri, text = iri) {
  const path = localPath(iri);
  return path ? el('a', { href: path }, text) : el('span', {}, text);
}

export function nodeLabel(node) {
  return String(node.name ?? node.email ?? node.title ?? node.id ?? node['@id']);
}

export function renderValue(value) {
  if (value === null || value === undefined) return el('em', {}, 'null');
  if (typeof value === 'string') return localPath(value) ? link(value) : el('span', {}, value);
  if (isScalar(value)) return el('span', {}, String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return el('em', {}, 'none');
    if (value.every(isNode)) return nodeTable(value);
    return el('ul', { class: 'plain' }, value.map((item) => el('li', {}, renderValue(item))));
  }
  if (isNode(value)) return nodeTable([value]);
  return el('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

/** Embedded nodes (owners, members, collection members): one row each, its first cell a link to its page. */
export function nodeTable(nodes) {
  const columns = [...new Set(nodes.flatMap((n) => Object.keys(n).filter((k) => !k.startsWith('@') && isScalar(n[k]))))];
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Resource'), columns.map((c) => el('th', { scope: 'col' }, c)));
  const rows = nodes.map((node) =>
    el('tr', {}, el('td', {}, node['@id'] ? link(node['@id'], nodeLabel(node)) : nodeLabel(node)), columns.map((c) => el('td', {}, renderValue(node[c])))),
  );
  return scrolling(el('table', { class: 'nodes' }, el('thead', {}, head), el('tbody', {}, rows)));
}

export function propertyTable(classes, node) {
  const keys = Object.keys(node).filter((k) => k !== '@context' && !k.startsWith('hydra:'));
  const rows = keys.map((key) => {
    const described = describedProperty(classes, key);
    return el('tr', { 'data-property': key }, el('th', { scope: 'row' }, key), el('td', {}, renderValue(node[key])), el('td', { class: 'description' }, described?.['hydra:description'] ?? ''));
  });
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Property'), el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'Description'));
  return scrolling(el('table', { class: 'properties' }, el('thead', {}, head), el('tbody', {}, rows)));
}
