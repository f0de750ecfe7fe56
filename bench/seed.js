// Seeds the benchmark data straight into the database, in one transaction, with
// INSERT ... SELECT over a series (batches of 100,000 rows). The columns come from the
// table itself: a NOT NULL column without a default that this file does not fill, a column
// it fills that the table lacks, or a kept count it does not know stops the seeding.
import { openSeeder, valuesFor } from './seed-sql.js';

/** Counts the service keeps on a row (updated with every membership and installation change), and how to recount them. */
export const COUNTERS = {
  'organization.member_count': 'SELECT COUNT(*) FROM membership m WHERE m.organization_id = organization.id',
};
/** Tables of counts kept in shard rows (src/resources/partner/partner-tally.ts), rebuilt as one shard per row of their owner. */
export const TALLIES = {
  partner_tally: {
    owner: 'partner',
    rebuild: `INSERT INTO partner_tally (partner_id, shard, organizations, installations)
      SELECT p.id, 0,
        (SELECT COUNT(*) FROM membership m WHERE m.partner_id = p.id) + (SELECT COUNT(*) FROM integration n WHERE n.partner_id = p.id AND n.listed = TRUE),
        (SELECT COUNT(*) FROM integration n WHERE n.partner_id = p.id)
      FROM partner p`,
  },
};
const LOOKS_LIKE_A_COUNT = /(^|_)(count|counts|counter|counters|total|totals|tally|tallies)(_|$)/i;
const BATCH = 100_000;

/** What each part of the data set holds; scenarios name the parts they need. */
export const PARTS = {
  getOne: 'an organization with its owner and 4 members',
  orgs10k: "10,000 organizations of one partner",
  orgs1m: "1,000,000 organizations of another partner",
  members100k: 'an organization with 100,000 members',
};

// Id tags (the first 8 hex digits of seeded UUIDs), one per kind of row.
const TAG = { partner: 'b0000001', org: 'b0000002', ownMembership: 'b0000003', bigMembership: 'b0000004', org10k: 'b0000005', membership10k: 'b0000006', org1m: 'b0000007', membership1m: 'b0000008' };
const uuid = (tag, n) => `${tag}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const GET_ONE_ID = uuid(TAG.org, 1);
export const BIG_ORG_ID = uuid(TAG.org, 2);

async function refuseUnknownCounts(db) {
  for (const table of await db.tables()) {
    if (LOOKS_LIKE_A_COUNT.test(table) && !(table in TALLIES)) throw new Error(`Table ${table} looks like a kept count: teach bench/seed.js (COUNTERS) how to keep it right.`);
    for (const column of await db.columns(table)) {
      const name = `${table}.${column.name}`;
      if (LOOKS_LIKE_A_COUNT.test(column.name) && !(name in COUNTERS)) throw new Error(`Column ${name} looks like a kept count: add it to COUNTERS in bench/seed.js.`);
    }
  }
}

/** Inserts rows `from`..`to` of `spec` ({column: SQL expression over n}), checked against the table's columns. */
async function insertRows(db, table, spec, from, to) {
  const columns = await db.columns(table);
  const present = new Set(columns.map((c) => c.name));
  const extra = Object.keys(spec).filter((k) => !present.has(k));
  if (extra.length) throw new Error(`bench/seed.js fills ${extra.map((c) => `${table}.${c}`).join(', ')}, which the table does not have: the schema changed, update the seed.`);
  const unfilled = columns.filter((c) => c.required && !(c.name in spec)).map((c) => `${table}.${c.name}`);
  if (unfilled.length) throw new Error(`bench/seed.js cannot fill NOT NULL column(s) without a default: ${unfilled.join(', ')}. Add them to the seed.`);
  let rows = 0;
  for (let start = from; start <= to; start += BATCH) rows += await db.insertSeries(table, Object.keys(spec), Object.values(spec), start, Math.min(to, start + BATCH - 1));
  return rows;
}

/** Recounts every kept count of `table` that the schema has, for the rows `where` selects. */
async function recount(db, table, where = '') {
  const columns = new Set((await db.columns(table)).map((c) => c.name));
  for (const [name, count] of Object.entries(COUNTERS)) {
    const [counterTable, column] = name.split('.');
    if (counterTable === table && columns.has(column)) await db.run(`UPDATE ${table} SET ${column} = (${count})${where ? ` WHERE ${where}` : ''}`);
  }
  for (const [tally, { owner, rebuild }] of Object.entries(TALLIES)) {
    if (owner !== table || where) continue;
    await db.run(`DELETE FROM ${tally}`);
    await db.run(rebuild);
  }
}

function organization(v, tag, label, memberCount, extra = {}) {
  return {
    id: v.uuid(tag),
    name: v.numbered(`Bench ${label} `),
    name_key: v.numbered(`bench ${label.toLowerCase()} `),
    slug: v.numbered(`bench-${label.toLowerCase()}-`),
    metadata: v.json({ source: 'bench' }),
    invites_enabled: v.bool(true),
    members_can_invite: v.bool(false),
    ip_allowlist: v.json([]),
    auto_join_domains: v.json([]),
    member_count: v.int(memberCount),
    created_at: v.time(),
    updated_at: v.time(),
    ...extra,
  };
}

/** `role` is a role name or a CASE expression over n; members join `joinedAfter` seconds after 2025-01-01, plus n. */
function membership(v, tag, organizationId, partnerId, role, joinedAfter = 0) {
  return { id: v.uuid(tag), organization_id: organizationId, partner_id: partnerId, role: role.startsWith('CASE') ? role : v.text(role), joined_at: v.time(`n + ${joinedAfter}`) };
}

/**
 * Seeds the parts asked for. `callers` are partners made by the CLI (owner, lister10k, lister1m),
 * so their tokens are real. Returns row counts per part, for the log.
 */
export async function seed(engine, target, callers, parts, log = console.log) {
  const db = await openSeeder(engine, target);
  const v = valuesFor(engine);
  const did = {};
  try {
    await refuseUnknownCounts(db);
    await db.transaction(async () => {
      const memberPartners = parts.has('members100k') ? 100_000 : 4;
      did.partners = await insertRows(
        db,
        'partner',
        { id: v.uuid(TAG.partner), email: v.numbered('member-', "n || '@bench.example'"), email_key: v.numbered('member-', "n || '@bench.example'"), name: v.numbered('Member '), created_at: v.time() },
        1,
        memberPartners,
      );
      const smallOrg = (n, label, extra) => insertRows(db, 'organization', organization(v, TAG.org, label, 0, extra), n, n);
      await smallOrg(1, 'Get', { metadata: v.json({ crm_id: 'C-42', tier: 'gold' }), billing_email: v.text('billing@acme.example'), language: v.text('en'), ip_allowlist: v.json(['10.0.0.0/8', '127.0.0.1/32']), auto_join_domains: v.json(['acme.example']) });
      await insertRows(db, 'membership', membership(v, TAG.ownMembership, v.id(GET_ONE_ID), v.id(callers.owner.id), 'owner'), 1, 1);
      const roles = "CASE n WHEN 2 THEN 'admin' WHEN 3 THEN 'billing' ELSE 'member' END";
      await insertRows(db, 'membership', membership(v, TAG.ownMembership, v.id(GET_ONE_ID), v.uuid(TAG.partner, 'n - 1'), roles), 2, 5);
      if (parts.has('members100k')) {
        await smallOrg(2, 'Big', {});
        await insertRows(db, 'membership', membership(v, TAG.ownMembership, v.id(BIG_ORG_ID), v.id(callers.owner.id), 'owner'), 6, 6);
        did.members100k = await insertRows(db, 'membership', membership(v, TAG.bigMembership, v.id(BIG_ORG_ID), v.uuid(TAG.partner), 'member', 10), 1, 100_000);
      }
      for (const [part, size, orgTag, membershipTag, caller] of [
        ['orgs10k', 10_000, TAG.org10k, TAG.membership10k, callers.lister10k],
        ['orgs1m', 1_000_000, TAG.org1m, TAG.membership1m, callers.lister1m],
      ]) {
        if (!parts.has(part)) continue;
        const started = Date.now();
        did[part] = await insertRows(db, 'organization', organization(v, orgTag, part.slice(4), 1), 1, size);
        await insertRows(db, 'membership', membership(v, membershipTag, v.uuid(orgTag), v.id(caller.id), 'owner'), 1, size);
        log(`  ${engine}: ${size.toLocaleString('en')} organizations and memberships in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
      await recount(db, 'organization', `id IN (${v.id(GET_ONE_ID)}, ${v.id(BIG_ORG_ID)})`);
      await recount(db, 'partner');
    });
    await db.afterSeeding();
    return did;
  } finally {
    await db.close();
  }
}
