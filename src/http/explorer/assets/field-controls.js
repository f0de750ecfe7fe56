// One form control per kind of property, chosen from what the API documentation says of it:
// sh:in (choices), sh:maxCount (a list when not 1), rdfs:range (dates, numbers, JSON), sh:defaultValue.
import { rangeOf } from './api-documentation.js';
import { el } from './dom.js';

const SH_IN = 'sh:in';
const SH_MAX_COUNT = 'sh:maxCount';

export const choicesOf = (property) => property[SH_IN];
/** SHACL: without sh:maxCount a property holds any number of values; the documentation writes 1 for every single one. */
export const isList = (property) => property[SH_MAX_COUNT] !== 1;
export const defaultOf = (property) => property['sh:defaultValue'];

export function kindOf(property) {
  const range = rangeOf(property);
  if (choicesOf(property)) return isList(property) ? 'choices' : 'choice';
  if (isList(property)) return 'lines';
  if (range === 'rdf:JSON') return 'json';
  if (range === 'xsd:boolean') return 'boolean';
  if (range === 'xsd:integer') return 'integer';
  if (range === 'xsd:dateTime') return 'datetime';
  return 'text';
}

/** `2025-03-01T09:30:00.000Z` as a datetime-local value, in the person's own time zone. */
function localDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function select(id, key, choices, value, required) {
  const blank = el('option', { value: '' }, required ? 'Choose one' : '(none)');
  return el('select', { id, name: key }, blank, choices.map((choice) => el('option', { value: choice, selected: choice === value }, choice)));
}

/** A list of enumerated values (scopes): one checkbox per value, in a group named like the property. */
function checkboxes(id, key, choices, values) {
  const chosen = new Set(Array.isArray(values) ? values : []);
  return el('div', { id, class: 'choices', role: 'group', 'aria-labelledby': `${id}-label`, 'data-name': key },
    choices.map((choice, i) => el('label', { class: 'choice' },
      el('input', { type: 'checkbox', id: `${id}-${i}`, name: key, value: choice, checked: chosen.has(choice) }), ` ${choice}`)));
}

export function control(kind, id, key, property, value) {
  const choices = choicesOf(property);
  const required = Boolean(property['hydra:required']);
  switch (kind) {
    case 'choice': return select(id, key, choices, value, required);
    case 'choices': return checkboxes(id, key, choices, value);
    case 'boolean': return el('input', { id, name: key, type: 'checkbox', checked: value === true });
    case 'integer': return el('input', { id, name: key, type: 'number', step: 1, value: value ?? '' });
    case 'datetime': return el('input', { id, name: key, type: 'datetime-local', value: value ? localDateTime(value) : '' });
    case 'lines': return el('textarea', { id, name: key, rows: 3, spellcheck: 'false' }, Array.isArray(value) ? value.join('\n') : '');
    case 'json': return el('textarea', { id, name: key, rows: 3, spellcheck: 'false', placeholder: '{"key": "value"}' }, value === undefined || value === null ? '' : JSON.stringify(value, null, 2));
    default: return el('input', { id, name: key, type: 'text', value: value ?? '' });
  }
}

/** What the person is told under the field, besides the property's description. */
export function usage(kind, property) {
  if (kind === 'lines') return `One per line${property[SH_MAX_COUNT] ? `, at most ${property[SH_MAX_COUNT]}` : ''}.`;
  if (kind === 'choices') return 'Tick each that applies.';
  if (kind === 'json') return 'A JSON object of string keys and values.';
  if (kind === 'datetime') return `Your local time (${Intl.DateTimeFormat().resolvedOptions().timeZone}); sent as ISO 8601 in UTC.`;
  return '';
}
