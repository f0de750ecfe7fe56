// Form fields for the properties an operation accepts, and the body read back from them.
import { el } from './dom.js';
import { control, defaultOf, kindOf, usage } from './field-controls.js';

/** Writeable properties the operation takes; a create also takes those writeable on create only. */
export function acceptedProperties(expected, method) {
  return (expected?.['hydra:supportedProperty'] ?? []).filter((p) => p['hydra:writeable'] || (method !== 'PATCH' && p.create_only));
}

/**
 * One labelled field. On an edit it shows the resource's value, on a create the documented default
 * (`invites_enabled` ticked). `dirty` marks what the person changed, so a PATCH sends only that.
 */
export function field(formId, property, value, editing) {
  const key = property['hydra:title'];
  const kind = kindOf(property);
  const id = `${formId}-${key}`;
  const input = control(kind, id, key, property, editing ? value : defaultOf(property));
  const required = Boolean(property['hydra:required']);
  if (required && kind !== 'choices') input.setAttribute('required', '');
  input.dataset.kind = kind;
  input.dataset.required = required ? '1' : '';
  const markDirty = () => (input.dataset.dirty = '1');
  input.addEventListener('input', markDirty);
  input.addEventListener('change', markDirty);
  const hint = usage(kind, property);
  return el('div', { class: `field ${kind}`, 'data-field': key },
    el(kind === 'choices' ? 'span' : 'label', kind === 'choices' ? { id: `${id}-label`, class: 'label' } : { for: id }, key, required ? el('span', { class: 'required', title: 'required' }, ' *') : ''),
    input,
    el('small', { id: `${id}-help` }, property['hydra:description'] ?? '', hint ? el('span', { class: 'usage' }, ` ${hint}`) : ''),
    el('p', { class: 'violation', role: 'alert' }),
  );
}

class NotSent extends Error {
  constructor(propertyPath, message, hint) {
    super(message);
    this.violations = [{ propertyPath, message, hint }];
  }
}

function jsonObject(name, text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotSent(name, `This is not JSON: ${error.message}.`, 'Write an object such as {"environment": "production"}: keys and values in double quotes.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new NotSent(name, 'This must be a JSON object, in braces.', 'For example {"environment": "production"}.');
  return value;
}

/** The value of one field, or undefined for an empty optional one on a create. */
function valueOf(input, method) {
  const { kind } = input.dataset;
  const name = input.name ?? input.dataset.name;
  if (kind === 'boolean') return input.checked;
  if (kind === 'choices') return [...input.querySelectorAll('input:checked')].map((box) => box.value);
  if (kind === 'lines') return input.value.split('\n').map((line) => line.trim()).filter(Boolean);
  if (input.value.trim() === '') return method === 'PATCH' ? null : input.dataset.required ? '' : undefined;
  if (kind === 'integer') return Number(input.value);
  if (kind === 'datetime') return new Date(input.value).toISOString();
  if (kind === 'json') return jsonObject(name, input.value);
  return input.value;
}

/** The body from the fields: changed ones, and required ones on a create. Throws NotSent on what cannot be sent. */
export function readFields(form, method) {
  const body = {};
  for (const input of form.querySelectorAll('[data-kind]')) {
    if (!input.dataset.dirty && !(method === 'POST' && input.dataset.required)) continue;
    const value = valueOf(input, method);
    if (value !== undefined) body[input.name ?? input.dataset.name] = value;
  }
  return body;
}
