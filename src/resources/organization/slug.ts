import { randomBytes } from 'node:crypto';
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


/** `base`, `base-2` ... `base-5`: the readable slugs tried first, each one index lookup. */
export function slugCandidates(base: string): string[] {
  return [base, ...[2, 3, 4, 5].map((n) => `${base}-${n}`)];
}

/**
 * The first candidate not `taken`; when all are (a very common name), a random suffix, so
 * choosing a slug never reads more than a handful of rows however many organizations share
 * the name. The unique index settles the rare collision (the caller retries).
 */
export function firstFreeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  return slugCandidates(base).find((slug) => !used.has(slug)) ?? randomSlug(base);
}

/** `base` and 8 random hex digits: what a creation falls back to when readable slugs keep being taken. */
export function randomSlug(base: string): string {
  return `${base}-${randomBytes(4).toString('hex')}`;
}
