import { randomInt } from 'node:crypto';
import type { Params, Sql, Statement } from '../../persistence/database.js';

/**
 * A partner's organizations and installations, counted for its lists' hydra:totalItems, kept in
 * TALLY_SHARDS rows per partner whose sum is the count. One counter row was one lock: every
 * organization a partner created waited for the one before to commit (its fsync included), on
 * every instance, and that capped one partner's creations on PostgreSQL at what one connection
 * commits in turn (the creation's own statement from 10 connections: 2,262 a second with the
 * counter row, 3,600-4,000 with these shards, 3,700-4,500 with no count at all; issue 17's note). A change adds to a shard chosen at random, so concurrent changes
 * rarely meet and commit together; a read sums at most TALLY_SHARDS rows. A shard may go
 * negative (a removal counted on another shard than its addition); only the sum means anything.
 */
export const TALLY_SHARDS = 16;

export interface TallyChange {
  organizations?: number;
  installations?: number;
}

const UPSERT = `ON CONFLICT (partner_id, shard) DO UPDATE SET organizations = partner_tally.organizations + excluded.organizations, installations = partner_tally.installations + excluded.installations`;

const shard = () => randomInt(TALLY_SHARDS);

export const partnerTally = {
  /** Adds to the partner's counts (negative to take away), in the caller's transaction or batch. */
  change(partnerId: string, { organizations = 0, installations = 0 }: TallyChange): Statement {
    return { sql: `INSERT INTO partner_tally (partner_id, shard, organizations, installations) VALUES (?, ?, ?, ?) ${UPSERT}`, params: [partnerId, shard(), organizations, installations] };
  },

  /**
   * The same for every partner a query selects, with what to add as SQL over its row:
   * `select` is `SELECT partner_id, <n> AS organizations, <n> AS installations FROM … WHERE …`, one row
   * per partner (a partner twice would change one shard twice in one statement, which
   * PostgreSQL refuses).
   */
  changeEach(select: string, params: Params): Statement {
    return { sql: `INSERT INTO partner_tally (partner_id, organizations, installations, shard) SELECT q.*, ? FROM (${select}) q WHERE TRUE ${UPSERT}`, params: [shard(), ...params] };
  },

  async apply(sql: Sql, statement: Statement): Promise<void> {
    await sql.run(statement.sql, statement.params);
  },

  async organizations(sql: Sql, partnerId: string): Promise<number> {
    const row = await sql.get<{ n: number | string | null }>('SELECT SUM(organizations) AS n FROM partner_tally WHERE partner_id = ?', [partnerId]);
    return Number(row?.n ?? 0);
  },

  async installations(sql: Sql, partnerId: string): Promise<number> {
    const row = await sql.get<{ n: number | string | null }>('SELECT SUM(installations) AS n FROM partner_tally WHERE partner_id = ?', [partnerId]);
    return Number(row?.n ?? 0);
  },
};
