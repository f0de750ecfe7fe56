// What is measured: the anchors (the same organization, from the SQLite file) and the
// service's scenarios, which run on every engine asked for.
import { BIG_ORG_ID, GET_ONE_ID } from './seed.js';

/** Baselines, each its own child process; `limit` is what every ratio divides by. */
export const ANCHORS = [
  { id: 'limit', about: 'bare `node:http`, one prepared better-sqlite3 `SELECT * FROM organization WHERE id = ?`, `JSON.stringify` of the row. The most this machine can answer with this data; every ratio divides by it.', script: 'limit.js', label: 'Limit: node:http + prepared SELECT', path: `/organizations/${GET_ONE_ID}` },
  { id: 'express', about: 'the same prepared statement behind a plain Express 5 route and `res.json`.', script: 'express.js', label: 'Express 5 + prepared SELECT', path: `/organizations/${GET_ONE_ID}` },
  { id: 'express-pg', engine: 'postgres', about: "the same route in Express 5 answering the row from a `pg` Pool of 10 (the service's default) with a named (prepared) `SELECT * FROM organization WHERE id = $1` on the PostgreSQL service's database: what Express and the driver cost before any feature, the ceiling of the PostgreSQL GET one; runs only with PostgreSQL.", script: 'express-pg.js', label: 'Express 5 + pg SELECT', path: `/organizations/${GET_ONE_ID}` },
  { id: 'typeorm', about: "Express 5 + a TypeORM 1.1 DataSource on the same file with the project's own organization, membership and partner entity schemas (plus the relations a TypeORM API declares), `findOne` of the organization with its memberships and their partners (the owner and 4 members the service embeds) + `res.json`: what a typical Node API does.", script: 'typeorm.js', label: 'Typical: Express 5 + TypeORM findOne with members', path: `/organizations/${GET_ONE_ID}` },
  { id: 'jsonld-naive', about: 'the typical stack (the organization row alone, no members) plus `jsonld.compact` of the row against the Organization context (served from memory by the document loader) on every response.', script: 'jsonld-naive.js', label: 'Naive JSON-LD: typical + jsonld.compact', path: `/organizations/${GET_ONE_ID}` },
  { id: 'insert-bare', about: "bare `node:http` inserting one organization row per request (JSON body parsed) with a prepared INSERT, WAL mode, `synchronous=FULL`: the POST target's baseline.", script: 'insert-bare.js', label: 'Bare insert: node:http + prepared INSERT', method: 'POST', path: '/organizations', status: 201 },
  { id: 'insert-pg', engine: 'postgres', about: "bare `node:http` with a `pg` Pool of 10 (the service's default), one parameterized INSERT of an organization row per request (JSON body parsed) into the PostgreSQL service's own database and table: the PostgreSQL POST target's baseline; runs only with PostgreSQL.", script: 'insert-pg.js', label: 'Bare pg insert: node:http + pg Pool INSERT', method: 'POST', path: '/organizations', status: 201 },
  { id: 'express-pg-insert', engine: 'postgres', about: "a plain Express 5 route with `express.json()` making the bare pg insert's one-row INSERT (the same pool, table and statement): what Express, its body parser and the driver cost before any feature, the ceiling of the PostgreSQL POST; runs only with PostgreSQL.", script: 'express-pg-insert.js', label: 'Express 5 + pg INSERT', method: 'POST', path: '/organizations', status: 201 },
];

/**
 * The service's scenarios. `needs`: the parts of the data set (seed.js PARTS); `caller`: whose
 * token; `total`: hydra:totalItems the first page must report; `lastOf`: the path is the
 * hydra:last link of that scenario's first page.
 */
export const SERVICE = [
  { id: 'get-one', about: '`GET /api/organizations/{id}` as the owner: token check, rate limit, membership check, the organization with its owner and 4 members embedded, the full JSON-LD body, a JSON log line.', label: 'GET one organization (owner + 4 members)', needs: ['getOne'], caller: 'owner', path: `/api/organizations/${GET_ONE_ID}` },
  { id: 'post', about: "`POST /api/organizations` with a distinct name each time, into the organization table that holds the seeded 1,010,000 rows: the organization, the owner's membership and the audit entry in one transaction (201).", label: 'POST an organization', needs: ['orgs1m'], caller: 'poster', method: 'POST', path: '/api/organizations', status: 201 },
  { id: 'orgs-10k-first', about: '`GET /api/organizations`, first page, as a partner that belongs to 10,000 organizations.', label: 'GET organizations, first page (10k)', needs: ['orgs10k'], caller: 'lister10k', path: '/api/organizations', total: 10_000 },
  { id: 'orgs-10k-last', about: "the same collection's last page, found by following the first page's `hydra:last`.", label: 'GET organizations, last page (10k)', needs: ['orgs10k'], caller: 'lister10k', lastOf: 'orgs-10k-first' },
  { id: 'orgs-1m-first', about: 'the first page as a partner that belongs to 1,000,000 organizations.', label: 'GET organizations, first page (1M)', needs: ['orgs1m'], caller: 'lister1m', path: '/api/organizations', total: 1_000_000 },
  { id: 'orgs-1m-last', about: 'its last page (`hydra:last` of the first page).', label: 'GET organizations, last page (1M)', needs: ['orgs1m'], caller: 'lister1m', lastOf: 'orgs-1m-first' },
  { id: 'members-100k-first', about: '`GET /api/organizations/{id}/members`, first page, of an organization with 100,001 members.', label: 'GET members, first page (100k)', needs: ['members100k'], caller: 'owner', path: `/api/organizations/${BIG_ORG_ID}/members`, total: 100_001 },
  { id: 'members-100k-last', about: 'its last page (`hydra:last`).', label: 'GET members, last page (100k)', needs: ['members100k'], caller: 'owner', lastOf: 'members-100k-first' },
];

export const SCENARIO_IDS = [...ANCHORS.map((a) => a.id), ...SERVICE.map((s) => s.id)];

/** The anchors and service scenarios to run; the limit always runs, since every ratio needs it; an anchor of an engine only with that engine. */
export function select(ids, engines = ['sqlite']) {
  const wanted = ids ? new Set([...ids, 'limit']) : undefined;
  const service = SERVICE.filter((s) => !wanted || wanted.has(s.id));
  return { anchors: ANCHORS.filter((a) => (!wanted || wanted.has(a.id)) && (!a.engine || engines.includes(a.engine))), service };
}

/** The parts of the data set the chosen scenarios need. */
export function partsNeeded(service) {
  return new Set(['getOne', ...service.flatMap((s) => s.needs)]);
}
