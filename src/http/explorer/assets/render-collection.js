// A hydra:Collection: its members, the pages of hydra:view, and a form for its hydra:search template.
import { el } from './dom.js';
import { link, nodeTable } from './render-values.js';

const PAGES = [['hydra:first', 'First'], ['hydra:previous', 'Previous'], ['hydra:next', 'Next'], ['hydra:last', 'Last']];

function pagination(view) {
  if (!view) return undefined;
  return el('nav', { class: 'pages', 'aria-label': 'Pages' },
    PAGES.map(([key, text]) => (view[key] ? link(view[key], text) : el('span', { class: 'disabled', 'aria-disabled': 'true' }, text))),
    el('span', { class: 'current' }, `This page: ${view['@id'] ?? ''}`),
  );
}

/** RFC 6570 expansion of the forms the API uses: {?a,b} query and {a} path variables. */
export function expandTemplate(template, values) {
  return template.replace(/\{([?&]?)([^}]*)\}/g, (_all, operator, names) => {
    const pairs = names.split(',').filter((n) => values[n] !== undefined && values[n] !== '');
    if (!operator) return pairs.map((n) => encodeURIComponent(values[n])).join(',');
    const query = pairs.map((n) => `${encodeURIComponent(n)}=${encodeURIComponent(values[n])}`).join('&');
    return query ? `${operator}${query}` : '';
  });
}

function searchForm(search, memberClasses) {
  if (!search?.['hydra:template']) return undefined;
  const current = new URLSearchParams(location.search);
  const fields = (search['hydra:mapping'] ?? []).map((mapping, i) => {
    const id = `search-${i}`;
    const property = memberClasses.flatMap((c) => c['hydra:supportedProperty'] ?? []).find((p) => p['hydra:title'] === mapping.property);
    return el('div', { class: 'field' },
      el('label', { for: id }, mapping.variable, mapping.required ? ' *' : ''),
      el('input', { id, name: mapping.variable, value: current.get(mapping.variable) ?? '', required: Boolean(mapping.required) }),
      el('small', {}, `Filters on ${mapping.property}${property ? `: ${property['hydra:description']}` : ''}`),
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

export function renderCollection(collection, memberClasses) {
  const members = collection['hydra:member'] ?? [];
  return el('section', { class: 'collection' },
    el('h2', {}, `Members (${collection['hydra:totalItems'] ?? members.length} in all)`),
    members.length ? nodeTable(members) : el('p', {}, 'No members on this page.'),
    pagination(collection['hydra:view']),
    searchForm(collection['hydra:search'], memberClasses),
  );
}
