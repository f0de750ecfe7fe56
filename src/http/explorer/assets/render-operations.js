// Every operation the API documentation declares for this page, as a form that sends it.
import { call } from './api-client.js';
import { describedProperty, linkOperations, operationsOf, propertiesOf } from './api-documentation.js';
import { el, localPath } from './dom.js';
import { acceptedProperties, field, readFields } from './operation-fields.js';
import { link } from './render-values.js';

const VIA_KEY = 'linked-orgs.links';
const MERGE_PATCH = 'application/merge-patch+json';

/** Where each link we have seen leads, so a collection page knows the operations of the link that named it. */
function rememberLinks(entries) {
  const known = JSON.parse(sessionStorage.getItem(VIA_KEY) ?? '{}');
  for (const [path, via] of entries) known[path] = via;
  sessionStorage.setItem(VIA_KEY, JSON.stringify(known));
}

function linkedVia(path) {
  return JSON.parse(sessionStorage.getItem(VIA_KEY) ?? '{}')[path];
}

/** [operation, target IRI] pairs: the class's own, then those of its link properties. */
export function operationsFor(docs, classes, node, path) {
  const own = operationsOf(classes).map((op) => [op, node['@id'] ?? path]);
  const viaLinks = [];
  const seen = [];
  for (const property of propertiesOf(classes)) {
    const key = property['hydra:title'];
    const target = localPath(node[key]);
    const ops = linkOperations(property);
    if (!target || !ops.length) continue;
    seen.push([target.split('?')[0], { class: classes[0]['@id'], property: key }]);
    for (const op of ops) viaLinks.push([op, target]);
  }
  rememberLinks(seen);
  return [...own, ...viaLinks].filter(([op]) => op['hydra:method'] !== 'GET');
}

/**
 * Without a remembered link (the URL was typed or bookmarked), ask the resource one segment up:
 * in this API that is the one linking to its collections (/api, an organization, /api/me).
 */
async function discoverVia(docs, bare) {
  const response = await call(bare.replace(/\/[^/]+$/, '') || '/api');
  if (!response.ok || !response.data) return undefined;
  const classes = docs.classesOf(response.data['@type']);
  const property = propertiesOf(classes).find((p) => linkOperations(p).length && localPath(response.data[p['hydra:title']])?.split('?')[0] === bare);
  return property && { class: classes[0]['@id'], property: property['hydra:title'] };
}

/** A collection's operations are those of the link property that leads to it. */
export async function collectionOperations(docs, path) {
  const bare = path.split('?')[0];
  const via = linkedVia(bare) ?? (await discoverVia(docs, bare));
  const property = via && describedProperty(docs.classesOf(via.class), via.property);
  return property ? linkOperations(property).filter((op) => op['hydra:method'] !== 'GET').map((op) => [op, bare]) : [];
}

function showProblem(form, output, response) {
  const problem = response.data ?? {};
  const unplaced = [];
  for (const violation of problem.violations ?? []) {
    // `ip_allowlist/0`, `ip_allowlist[0]` and `metadata.key` belong to the field of their first segment.
    const key = String(violation.propertyPath ?? '').split(/[./[]/)[0];
    const slot = form.querySelector(`[data-field="${CSS.escape(key)}"] .violation`);
    if (slot) {
      slot.replaceChildren(violation.message, violation.hint ? el('span', { class: 'hint' }, ` ${violation.hint}`) : '');
      slot.closest('.field').querySelector('[data-kind]').setAttribute('aria-invalid', 'true');
    } else unplaced.push(`${violation.propertyPath}: ${violation.message}${violation.hint ? ` ${violation.hint}` : ''}`);
  }
  output.replaceChildren(
    el('p', { class: 'problem' }, `${response.status} ${problem.title ?? response.statusText}`, problem.detail ? `: ${problem.detail}` : ''),
    unplaced.length ? el('ul', {}, unplaced.map((text) => el('li', {}, text))) : '',
  );
}

async function submit(form, output, op, target, onResource) {
  const method = op['hydra:method'];
  for (const slot of form.querySelectorAll('.violation')) slot.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  if (method === 'DELETE' && !window.confirm(`Delete ${target}?`)) return;
  let body;
  try {
    body = op.expects ? readFields(form, method) : undefined;
  } catch (error) {
    return showProblem(form, output, { status: 0, statusText: 'Not sent', data: { title: 'Not sent', violations: error.violations } });
  }
  output.replaceChildren(el('p', {}, `Sending ${method} ${target}…`));
  const response = await call(target, { method, body, contentType: method === 'PATCH' ? MERGE_PATCH : 'application/ld+json' });
  if (response.status === 201 && localPath(response.location)) return location.assign(localPath(response.location));
  if (!response.ok) return showProblem(form, output, response);
  if (response.data?.['@id']) return onResource(response);
  output.replaceChildren(el('p', { class: 'done' }, `${response.status} ${response.statusText}. `, link('/api', 'Back to the entrypoint')));
}

export function operationForm(docs, [op, target], index, current, onResource) {
  const method = op['hydra:method'];
  const expected = op.expects ? docs.classNamed(op.expects) : undefined;
  const editing = method === 'PATCH' && expected && docs.classesOf(current['@type']).includes(expected);
  const formId = `op-${index}`;
  const fields = acceptedProperties(expected, method).map((p) => field(formId, p, current[p['hydra:title']], editing));
  const output = el('div', { class: 'result', 'aria-live': 'polite' });
  const form = el('form', { class: 'operation', id: formId, novalidate: true, 'data-method': method, 'data-target': target },
    el('fieldset', {},
      el('legend', {}, `${method} `, el('code', {}, target)),
      el('p', {}, op['hydra:title'] ?? '', op.required_scope ? el('small', {}, ` (scope ${op.required_scope})`) : ''),
      fields,
      el('button', { type: 'submit', class: method === 'DELETE' ? 'danger' : '' }, method === 'DELETE' ? 'Delete' : `Send ${method}`),
    ),
    output,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(form, output, op, target, onResource).catch((error) => output.replaceChildren(el('p', { class: 'problem' }, String(error))));
  });
  return form;
}
