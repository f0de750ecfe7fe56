import { SLUG_MAX_LENGTH } from './organization.description.js';

/** "Café Münster & Co." -> "cafe-munster-co"; names with no Latin letters or digits give "org". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX_LENGTH - 8)
    .replace(/^-+|-+$/g, '');
  return slug || 'org';
}

/** The first of `base`, `base-2`, `base-3` ... not in `taken`. */
export function firstFreeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}
