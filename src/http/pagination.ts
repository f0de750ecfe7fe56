import type { Request } from 'express';
import { AppError } from '../problems/app-error.js';
import type { ResourceDescription } from '../resources/description.js';
import type { JsonLdNode } from './representation.js';

export const DEFAULT_ITEMS_PER_PAGE = 30;
export const MAX_ITEMS_PER_PAGE = 100;

export interface Page {
  page: number;
  itemsPerPage: number;
  limit: number;
  offset: number;
}

function positiveInteger(req: Request, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) {
    throw new AppError('malformed-request', `The query parameter "${name}" must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return value;
}

/** `page` (from 1) and `itemsPerPage` (1 to 100, default 30); a bad value is a 400 naming it. */
export function readPage(req: Request): Page {
  const page = positiveInteger(req, 'page', 1);
  const itemsPerPage = positiveInteger(req, 'itemsPerPage', DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE);
  return { page, itemsPerPage, limit: itemsPerPage, offset: (page - 1) * itemsPerPage };
}

function pageUrl(req: Request, page: number): string {
  const [path, search] = req.originalUrl.split('?');
  const query = new URLSearchParams(search ?? '');
  query.set('page', String(page));
  return `${path}?${query}`;
}

/**
 * The collection's `hydra:search`: an RFC 6570 template with one mapping per variable of the
 * description. Mappings use unprefixed keys, as API Platform writes them and its Admin reads them.
 */
export function searchTemplate(resource: ResourceDescription, collectionId: string): JsonLdNode | undefined {
  const variables = Object.entries(resource.search ?? {});
  if (variables.length === 0) return undefined;
  return {
    '@type': 'hydra:IriTemplate',
    'hydra:template': `${collectionId}{?${variables.map(([name]) => name).join(',')}}`,
    'hydra:variableRepresentation': 'hydra:BasicRepresentation',
    'hydra:mapping': variables.map(([name, variable]) => ({ '@type': 'IriTemplateMapping', variable: name, property: variable.property, required: false })),
  };
}

/** A hydra:Collection with a PartialCollectionView whose @id is exactly the URL asked for. */
export function collection(req: Request, id: string, members: JsonLdNode[], total: number, page: Page, search?: JsonLdNode): JsonLdNode {
  const last = Math.max(1, Math.ceil(total / page.itemsPerPage));
  const view: JsonLdNode = {
    '@id': req.originalUrl,
    '@type': 'hydra:PartialCollectionView',
    'hydra:first': pageUrl(req, 1),
    'hydra:last': pageUrl(req, last),
  };
  if (page.page > 1) view['hydra:previous'] = pageUrl(req, Math.min(page.page - 1, last));
  if (page.page < last) view['hydra:next'] = pageUrl(req, page.page + 1);
  return { '@id': id, '@type': 'hydra:Collection', 'hydra:totalItems': total, 'hydra:member': members, 'hydra:view': view, ...(search ? { 'hydra:search': search } : {}) };
}
