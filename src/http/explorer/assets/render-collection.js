// A hydra:Collection: how many, the pages of hydra:view at the top, its members in the columns its
// class's `summary` names, and a form for its hydra:search template.
import { rangeOf } from './api-documentation.js';
import { el, scrolling } from './dom.js';
import { choicesOf } from './field-controls.js';
import { link, nodeLabel, nodeTable, renderValue } from './render-values.js';

const PAGES = [['hydra:first', 'First'], ['hydra:previous', 'Previous'], ['hydra:next', 'Next'], ['hydra:last', 'Last']];

/** "organizations" from the class title "Organization" (every title here takes an s). */
const plural = (described) => (described ? `${described['hydra:title'].toLowerCase()}s` : 'items');

export function collectionTitle(described) {
  const words = plural(described);
  return words[0].toUpperCase() + words.slice(1);
}

/** "35 organizations", "1 organization". */
function countLine(total, described) {
  const noun = total === 1 ? (described?.['hydra:title'].toLowerCase() ?? 'item') : plural(described);
  return `${total} ${noun}`;
}

function pagination(view) {
  if (!view) return undefined;
  return el('nav', { class: 'pages', 'aria-label': 'Pages' },
    PAGES.map(([key, text]) => (view[key] ? link(view[key], text) : el('span', { class: 'disabled', 'aria-disabled': 'true' }, text))),
  );
}

/**
 * RFC 6570 expansion of the forms the API uses: {?a,b} query and {a} path variables. A variable
 * name is written as the template spells it (already percent-encoded: `order%5Bname%5D`);
 * `values` are keyed by the name it stands for (`order[name]`), as the form's fields are.
 */
export function expandTemplate(template, values) {
  return template.replace(/\{([?&]?)([^}]*)\}/g, (_all, operator, names) => {
    const pairs = names.split(',').map((n) => [n, values[decodeURIComponent(n)]]).filter(([, v]) => v !== undefined && v !== '');
    if (!operator) return pairs.map(([, v]) => encodeURIComponent(v)).join(',');
    const query = pairs.map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('&');
    return query ? `${operator}${query}` : '';
  });
}

/** A variable with few values (sh:in on its mapping: asc/desc, roles) is a choice; others are text. */
function searchInput(id, mapping, name, value) {
  const choices = choicesOf(mapping);
  if (!choices) return el('input', { id, name, value: value ?? '' });
  return el('select', { id, name },
    el('option', { value: '' }, '(any)'), choices.map((choice) => el('option', { value: choice, selected: choice === value?.toLowerCase() }, choice)));
}

function searchForm(search, memberClasses) {
  if (!search?.['hydra:template']) return undefined;
  const current = new URLSearchParams(location.search);
  const fields = (search['hydra:mapping'] ?? []).map((mapping, i) => {
    const id = `search-${i}`;
    // The query parameter the variable stands for: `order%5Bname%5D` in the template is `order[name]`.
    const name = decodeURIComponent(mapping.variable);
    const property = memberClasses.flatMap((c) => c['hydra:supportedProperty'] ?? []).find((p) => p['hydra:title'] === mapping.property);
    return el('div', { class: 'field' },
      el('label', { for: id }, name, mapping.required ? ' *' : ''),
      searchInput(id, mapping, name, current.get(name)),
      el('small', {}, `${name.startsWith('order[') ? 'Sorts' : 'Filters'} on ${mapping.property}${property ? `: ${property['hydra:description']}` : ''}`),
    );
  });
  const form = el('form', { class: 'search', role: 'search', 'data-template': search['hydra:template'] },
    el('h2', {}, 'Search'), fields, el('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    location.assign(expandTemplate(search['hydra:template'], values));
  });
  return form;
}

function summaryCell(node, key, property, first) {
  const value = node[key];
  if (first) return el('th', { scope: 'row' }, node['@id'] ? link(node['@id'], String(value ?? nodeLabel(node))) : String(value ?? ''));
  if (value && typeof value === 'object' && !Array.isArray(value)) return el('td', {}, value['@id'] ? link(value['@id'], nodeLabel(value)) : nodeLabel(value));
  if (typeof value === 'string' && property && rangeOf(property) === 'xsd:dateTime') {
    return el('td', {}, el('time', { datetime: value, title: value }, new Date(value).toLocaleString()));
  }
  return el('td', {}, renderValue(value));
}

/** One row per member, one column per summary property (the first a link to the member's page). */
function summaryTable(members, described) {
  const keys = described['summary'];
  const properties = described['hydra:supportedProperty'] ?? [];
  const head = el('tr', {}, keys.map((key) => el('th', { scope: 'col' }, key)));
  const rows = members.map((node) => el('tr', {}, keys.map((key, i) => summaryCell(node, key, properties.find((p) => p['hydra:title'] === key), i === 0))));
  return scrolling(el('table', { class: 'nodes summary' }, el('thead', {}, head), el('tbody', {}, rows)));
}

export function renderCollection(collection, memberClasses) {
  const members = collection['hydra:member'] ?? [];
  const described = memberClasses[0];
  const table = described?.summary ? summaryTable(members, described) : nodeTable(members);
  return el('section', { class: 'collection' },
    el('h2', {}, countLine(collection['hydra:totalItems'] ?? members.length, described)),
    pagination(collection['hydra:view']),
    members.length ? table : el('p', {}, 'None on this page.'),
    searchForm(collection['hydra:search'], memberClasses),
  );
}
