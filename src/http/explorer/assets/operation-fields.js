// Form fields for the writeable properties of the class an operation expects, typed by their range.
import { rangeOf } from './api-documentation.js';
import { el } from './dom.js';

function kindOf(property, setKeys) {
  const key = property['hydra:title'];
  const range = rangeOf(property);
  if (range === 'rdf:JSON' || setKeys.has(key)) return 'json';
  if (range === 'xsd:boolean') return 'boolean';
  if (range === 'xsd:integer') return 'integer';
  return 'text';
}

function input(kind, id, key, value) {
  if (kind === 'boolean') return el('input', { id, name: key, type: 'checkbox', checked: value === true });
  if (kind === 'json') return el('textarea', { id, name: key, rows: 3, spellcheck: 'false', placeholder: 'JSON' }, value === undefined ? '' : JSON.stringify(value));
  const attributes = { id, name: key, value: value ?? '' };
  return el('input', kind === 'integer' ? { ...attributes, type: 'number', step: 1 } : { ...attributes, type: 'text' });
}

/** One labelled field; `dirty` marks what the person changed, so a PATCH sends only that. */
export function field(formId, property, setKeys, value) {
  const key = property['hydra:title'];
  const kind = kindOf(property, setKeys);
  const id = `${formId}-${key}`;
  const control = input(kind, id, key, value);
  if (property['hydra:required']) control.setAttribute('required', '');
  control.dataset.kind = kind;
  const markDirty = () => (control.dataset.dirty = '1');
  control.addEventListener('input', markDirty);
  control.addEventListener('change', markDirty);
  return el('div', { class: `field ${kind}`, 'data-field': key },
    el('label', { for: id }, key, property['hydra:required'] ? el('span', { class: 'required', title: 'required' }, ' *') : ''),
    control,
    el('small', { id: `${id}-help` }, property['hydra:description'] ?? ''),
    el('p', { class: 'violation', role: 'alert' }),
  );
}

/** The body from the fields: changed ones, and required ones on a create. Throws on invalid JSON. */
export function readFields(form, method) {
  const body = {};
  for (const control of form.querySelectorAll('[data-kind]')) {
    const required = control.hasAttribute('required');
    if (!control.dataset.dirty && !(method === 'POST' && required)) continue;
    const { kind } = control.dataset;
    let value;
    if (kind === 'boolean') value = control.checked;
    else if (control.value.trim() === '') value = method === 'PATCH' ? null : required ? '' : undefined;
    else if (kind === 'integer') value = Number(control.value);
    else if (kind === 'json') {
      try {
        value = JSON.parse(control.value);
      } catch {
        throw Object.assign(new Error('not JSON'), { violations: [{ propertyPath: control.name, message: 'This is not valid JSON.' }] });
      }
    } else value = control.value;
    if (value !== undefined) body[control.name] = value;
  }
  return body;
}
