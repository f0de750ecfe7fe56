// The explorer: fetches this page's URL as JSON-LD with the tab's token and renders it from the API documentation.
import { call, token } from './api-client.js';
import { loadDocumentation } from './api-documentation.js';
import { el, localPath, scrolling } from './dom.js';
import { collectionTitle, renderCollection } from './render-collection.js';
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

function heading(node, classes, isCollection) {
  const described = classes[0];
  const title = isCollection ? collectionTitle(described) : node.name ?? node.title ?? described?.['hydra:title'] ?? node['@id'] ?? 'Resource';
  return [el('h1', { tabindex: '-1' }, String(title)), described ? el('p', { class: 'type' }, `${described['hydra:title']}: ${described['hydra:description'] ?? ''}`) : ''];
}

async function render(docs, response) {
  const node = response.data ?? {};
  const isCollection = node['@type'] === 'hydra:Collection' || 'hydra:member' in node;
  const classes = docs.classesOf(node['@type']);
  // A collection's members are described by the resource its context is named after.
  const memberClasses = isCollection ? docs.classesOf(String(node['@context'] ?? '').split('/').pop()) : [];
  const path = localPath(response.url) ?? here();
  const operations = !response.ok ? [] : isCollection ? await collectionOperations(docs, path) : operationsFor(docs, classes, node, path);
  const forms = operations.map((entry, i) => operationForm(docs, entry, i, node, (next) => showResource(docs, next)));
  page.replaceChildren(
    statusLine(response),
    ...(node['@type'] === 'hydra:ApiDocumentation' ? [renderDocumentation(docs)] : [
      ...heading(node, isCollection ? memberClasses : classes, isCollection),
      isCollection ? '' : propertyTable(classes, node), // a collection's @id and @type are in the status line and heading
      isCollection ? renderCollection(node, memberClasses) : '',
      forms.length ? el('section', { class: 'operations' }, el('h2', {}, 'Operations'), forms) : '',
    ]),
    linkHeaders(response),
    rawDocument(response),
  );
}

/** After a change (a rename), the changed resource from the top, as its own page shows it, not the form that sent it. */
async function showResource(docs, response) {
  await render(docs, response);
  const target = localPath(response.data['@id']);
  if (target && target !== here()) history.pushState(null, '', target);
  window.scrollTo(0, 0);
  page.querySelector('h1')?.focus();
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
window.addEventListener('popstate', () => show());
show().catch((error) => page.replaceChildren(el('p', { class: 'status error' }, `The explorer failed: ${error}`)));
