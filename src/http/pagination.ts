import type { Request } from 'express';
import { requestPath } from './request-path.js';
import { AppError } from '../problems/app-error.js';
import type { Cursor, PageEdges } from '../persistence/keyset.js';
import { isUuid } from '../persistence/values.js';
import { ORDER_DIRECTIONS, type ResourceDescription, type SearchVariable } from '../resources/description.js';
import type { JsonLdNode } from './representation.js';

export const DEFAULT_ITEMS_PER_PAGE = 30;
export const MAX_ITEMS_PER_PAGE = 100;
/** The largest page number and itemsPerPage read (nine digits): the OpenAPI parameters' `maximum`, so what is accepted is what is documented. */
export const MAX_PAGE_PARAMETER = 999_999_999;

export interface Page {
  page: number;
  itemsPerPage: number;
  limit: number;
  offset: number;
  /** Cursors of `after=` / `before=`, in collections that page by cursor (see keyset.ts). */
  after?: Cursor;
  before?: Cursor;
}

/** Opaque to clients: base64url of the item's sort key and id. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Longer than any cursor encodeCursor writes (two values of at most 64 characters). */
export const MAX_CURSOR_LENGTH = 200;

function decodeCursor(name: string, raw: unknown): Cursor {
  try {
    if (typeof raw !== 'string' || raw.length > MAX_CURSOR_LENGTH) throw new Error('not a cursor');
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string' && v.length <= 64) && isUuid(value[1])) return value as Cursor;
  } catch {
    // fall through to the problem below
  }
  throw new AppError('malformed-request', `The query parameter "${name}" is not a cursor this API gave out; follow the collection's hydra:next and hydra:previous links.`);
}

function positiveInteger(req: Request, name: string, fallback: number, max = MAX_PAGE_PARAMETER): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) {
    throw new AppError('malformed-request', `The query parameter "${name}" must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return value;
}

/**
 * A page holds at most MAX_ITEMS_PER_PAGE items, whatever more is asked: as API Platform does,
 * so a generic client's export (API Platform Admin asks itemsPerPage=1000) gets full pages and
 * follows hydra:next instead of a 400. Any whole number from 1 to MAX_PAGE_PARAMETER is accepted.
 */
function readItemsPerPage(req: Request): number {
  const raw = req.query.itemsPerPage;
  if (raw === undefined) return DEFAULT_ITEMS_PER_PAGE;
  const value = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_PAGE_PARAMETER)) {
    throw new AppError('malformed-request', `The query parameter "itemsPerPage" must be a whole number from 1 to ${MAX_PAGE_PARAMETER} (more than ${MAX_ITEMS_PER_PAGE} is read as ${MAX_ITEMS_PER_PAGE}), got ${JSON.stringify(raw)}.`);
  }
  return Math.min(value, MAX_ITEMS_PER_PAGE);
}

/**
 * `page` (from 1) and `itemsPerPage` (from 1, capped at 100, default 30), or, where the collection
 * pages by cursor, `after` / `before` instead of `page`; a bad value is a 400 naming it.
 */
export function readPage(req: Request, options: { cursors?: boolean } = {}): Page {
  const page = positiveInteger(req, 'page', 1);
  const itemsPerPage = readItemsPerPage(req);
  const window: Page = { page, itemsPerPage, limit: itemsPerPage, offset: (page - 1) * itemsPerPage };
  const given = (['after', 'before'] as const).filter((name) => req.query[name] !== undefined);
  if (given.length === 0) return window;
  if (!options.cursors) throw new AppError('malformed-request', `This collection pages by "page" only (with filters or another order), not "${given[0]}".`);
  if (given.length > 1 || req.query.page !== undefined) throw new AppError('malformed-request', 'Use one of "page", "after" and "before".');
  window[given[0]] = decodeCursor(given[0], req.query[given[0]]);
  return window;
}

/**
 * The collection's URL with its query re-encoded (`order[name]` as `order%5Bname%5D`, as
 * URLSearchParams writes it): a link is always a valid IRI reference, whatever bytes the
 * request's own query held. Another page's link (`set`) carries the itemsPerPage that was read,
 * so a capped one is written as 100.
 */
function pageUrl(req: Request, set?: Record<string, string>, page?: Page): string {
  const [path, search] = req.originalUrl.split('?');
  const query = new URLSearchParams(search ?? '');
  if (set) {
    for (const name of ['page', 'after', 'before']) query.delete(name);
    if (page && query.has('itemsPerPage')) query.set('itemsPerPage', String(page.itemsPerPage));
    for (const [name, value] of Object.entries(set)) query.set(name, value);
  }
  const encoded = query.toString();
  return `${requestPath(path)}${encoded ? `?${encoded}` : ''}`;
}

/** The values a variable takes, when they are few: sort directions (as written in lower case) or its enumeration. */
function choicesOf(variable: SearchVariable): { 'sh:in'?: unknown[] } {
  const values = variable.order ? [...ORDER_DIRECTIONS] : (variable.schema.enum as unknown[] | undefined);
  return values ? { 'sh:in': values } : {};
}

/**
 * A search variable's name as an RFC 6570 template writes it. A varname is ALPHA, DIGIT, `_`
 * and pct-encoded octets only, so `order[name]` is written `order%5Bname%5D`: strict template
 * parsers refuse the brackets. Expanded, the template puts the name in the query as written, and
 * a query parser decodes it back to `order[name]`, so both spellings reach readFilters alike.
 */
export function templateVariable(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * The collection's `hydra:search`: an RFC 6570 template with one mapping per variable of the
 * description. The template spells a variable as RFC 6570 allows (templateVariable:
 * `order%5Bname%5D`); its mapping names it decoded (`order[name]`), as API Platform writes
 * mappings and its Admin reads them: Admin offers a column for sorting only when a mapping's
 * variable is literally `order[<property>]`. A client matching mappings to the template compares
 * them percent-decoded. Mappings use unprefixed keys, as API Platform writes them.
 */
export function searchTemplate(resource: ResourceDescription, collectionId: string): JsonLdNode | undefined {
  const variables = Object.entries(resource.search ?? {});
  if (variables.length === 0) return undefined;
  return {
    '@type': 'hydra:IriTemplate',
    'hydra:template': `${collectionId}{?${variables.map(([name]) => templateVariable(name)).join(',')}}`,
    'hydra:variableRepresentation': 'hydra:BasicRepresentation',
    'hydra:mapping': variables.map(([name, variable]) => ({ '@type': 'IriTemplateMapping', variable: name, property: variable.property, required: false, ...choicesOf(variable) })),
  };
}

/**
 * What every member of a collection of `resource` is, as Hydra's `hydra:memberAssertion` says
 * it (property rdf:type, object the class): a generic client knows what it will find before it
 * reads a page, even an empty one. The class is the one the resource's context names
 * (`Organization` is schema:Organization, `Member` our vocabulary's).
 */
export function memberAssertion(resource: ResourceDescription): JsonLdNode {
  return { 'hydra:property': 'rdf:type', 'hydra:object': resource.name };
}

/**
 * A hydra:Collection with a PartialCollectionView whose @id is the URL asked for (its query re-encoded).
 * hydra:first and hydra:last are page numbers; with `edges` (cursor paging), hydra:next and
 * hydra:previous are cursors, so walking a large collection never re-reads what it passed.
 */
export function collection(req: Request, id: string, members: JsonLdNode[], total: number, page: Page, search?: JsonLdNode, edges?: PageEdges): JsonLdNode {
  const last = Math.max(1, Math.ceil(total / page.itemsPerPage));
  const view: JsonLdNode = {
    '@id': pageUrl(req),
    '@type': 'hydra:PartialCollectionView',
    'hydra:first': pageUrl(req, { page: '1' }, page),
    'hydra:last': pageUrl(req, { page: String(last) }, page),
  };
  if (edges) {
    if (edges.hasPrevious) view['hydra:previous'] = edges.first ? pageUrl(req, { before: encodeCursor(edges.first) }, page) : pageUrl(req, { page: String(Math.min(page.page - 1, last)) }, page);
    if (edges.hasNext && edges.last) view['hydra:next'] = pageUrl(req, { after: encodeCursor(edges.last) }, page);
  } else {
    if (page.page > 1) view['hydra:previous'] = pageUrl(req, { page: String(Math.min(page.page - 1, last)) }, page);
    if (page.page < last) view['hydra:next'] = pageUrl(req, { page: String(page.page + 1) }, page);
  }
  return { '@id': id, '@type': 'hydra:Collection', 'hydra:totalItems': total, 'hydra:member': members, 'hydra:view': view, ...(search ? { 'hydra:search': search } : {}) };
}
