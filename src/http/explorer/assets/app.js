// The explorer: fetches this page's URL as JSON-LD with the tab's token and renders it from the API documentation.
import { call, setKeysOf, token } from './api-client.js';
import { loadDocumentation } from './api-documentation.js';
import { el, localPath, scrolling } from './dom.js';
import { renderCollection } from './render-collection.js';
import { renderDocumentation } from './render-documentation.js';
import { collectionOperations, operationForm, operationsFor } from './render-operations.js';
import { link, propertyTable } from './render-values.js';

const page = document.getElementById('page');
const here = () => location.pathname + location.search;

function statusLine(response) {
  return el('p', { class: `status ${response.ok ? 'ok' : 'error'}`, id: 'status' }, `${response.method} ${localPath(response.url) ?? response.url} → ${response.status} ${response.statusText}`);
}

function linkHeaders(response) {
  const rows = response.links.map((l) => el('tr', {}, el('td', {}, l.rel), el('td', {}, link(l.target)), el('td', {}, l.params)));
  return el('section', { class: 'links' }, el('h2', {}, 'Link headers'),
    rows.length ? scrolling(el('table', {}, el('thead', {}, el('tr', {}, ['rel', 'target', 'parameters'].map((t) => el('th', { scope: 'col' }, t)))), el('tbody', {}, rows))) : el('p', {}, 'None.'));
}

function rawDocument(response) {
  const text = response.data === undefined ? response.raw : JSON.stringify(response.data, null, 2);
  const copy = el('button', { type: 'button', class: 'copy' }, 'Copy');
  copy.addEventListener('click', () => navigator.clipboard.writeText(text).then(() => (copy.textContent = 'Copied'), () => (copy.textContent = 'Select and copy by hand')));
  return el('details', { class: 'raw' }, el('summary', {}, 'Raw JSON-LD'), copy, el('pre', {}, text));
}

function heading(node, classes) {
  const described = classes[0];
  const title = node.name ?? node.title ?? described?.['hydra:title'] ?? node['@id'] ?? 'Resource';
  return [el('h1', {}, String(title)), described ? el('p', { class: 'type' }, `${described['hydra:title']}: ${described['hydra:description'] ?? ''}`) : ''];
}

/** A form's JSON-array fields are the sets of the class it sends (an installation's scopes on an organization's page), whose context is named after it. */
async function formSetKeys(docs, op, fallback) {
  const label = op.expects ? docs.classNamed(op.expects)?.['rdfs:label'] : undefined;
  return label ? setKeysOf(`/api/contexts/${label}`) : fallback;
}

async function render(docs, response) {
  const node = response.data ?? {};
  const isCollection = node['@type'] === 'hydra:Collection' || 'hydra:member' in node;
  const classes = docs.classesOf(node['@type']);
  // A collection's members are described by the resource its context is named after.
  const memberClasses = isCollection ? docs.classesOf(String(node['@context'] ?? '').split('/').pop()) : [];
  const setKeys = await setKeysOf(node['@context']);
  const path = localPath(response.url) ?? here();
  const operations = !response.ok ? [] : isCollection ? await collectionOperations(docs, path) : operationsFor(docs, classes, node, path);
  const forms = await Promise.all(operations.map(async (entry, i) => operationForm(docs, entry, i, node, await formSetKeys(docs, entry[0], setKeys), (next) => render(docs, next))));
  page.replaceChildren(
    statusLine(response),
    ...(node['@type'] === 'hydra:ApiDocumentation' ? [renderDocumentation(docs)] : [
      ...heading(node, isCollection ? memberClasses : classes),
      propertyTable(isCollection ? [] : classes, node),
      isCollection ? renderCollection(node, memberClasses) : '',
      forms.length ? el('section', { class: 'operations' }, el('h2', {}, 'Operations'), forms) : '',
    ]),
    linkHeaders(response),
    rawDocument(response),
  );
}

async function show() {
  page.replaceChildren(el('p', {}, 'Loading…'));
  const [docs, response] = await Promise.all([loadDocumentation(), call(here())]);
  await render(docs, response);
}

function tokenBox() {
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  const status = document.getElementById('token-status');
  const update = () => (status.textContent = token.get() ? 'A token is set for this tab.' : 'No token: only public resources.');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value.trim()) token.set(input.value.trim());
    input.value = '';
    update();
    show();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    token.forget();
    update();
    show();
  });
  update();
}

tokenBox();
show().catch((error) => page.replaceChildren(el('p', { class: 'status error' }, `The explorer failed: ${error}`)));
