import type { Sql } from '../../persistence/database.js';
import { entityColumns } from '../../persistence/entity-columns.js';
import { json } from '../../persistence/values.js';
import type { Partner } from '../partner/partner-repository.js';
import type { InvitationStatus } from './invitation.description.js';
import { invitationEntity, type InvitationRow } from './invitation.entity.js';

/** An invitation as shown: with its organization's name and the partners behind it. */
export interface Invitation extends InvitationRow {
  organization_name: string;
  /** Its organization's: the invitee acts on the organization too when it reads or accepts the invitation. */
  organization_ip_allowlist: string[];
  creator: Partner;
  acceptor: Partner | null;
  revoker: Partner | null;
}

const columns = entityColumns(invitationEntity);

const SELECT = `SELECT i.*, o.name AS organization_name, o.ip_allowlist AS organization_ip_allowlist,
                       c.email AS c_email, c.name AS c_name, a.email AS a_email, a.name AS a_name, r.email AS r_email, r.name AS r_name
                  FROM invitation i JOIN organization o ON o.id = i.organization_id
                  LEFT JOIN partner c ON c.id = i.created_by
                  LEFT JOIN partner a ON a.id = i.accepted_by
                  LEFT JOIN partner r ON r.id = i.revoked_by`;

/** SQL conditions for each status at a moment `?`; the status is never stored, so it cannot go stale. */
const STATUS_CONDITIONS: Record<InvitationStatus, { sql: string; usesNow: boolean }> = {
  pending: { sql: 'i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?', usesNow: true },
  accepted: { sql: 'i.accepted_at IS NOT NULL', usesNow: false },
  revoked: { sql: 'i.revoked_at IS NOT NULL', usesNow: false },
  expired: { sql: 'i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= ?', usesNow: true },
};

function statusFilter(status: InvitationStatus | undefined, at: string): [string, string[]] {
  if (!status) return ['', []];
  const condition = STATUS_CONDITIONS[status];
  return [` AND ${condition.sql}`, condition.usesNow ? [at] : []];
}

function partner(id: unknown, email: unknown, name: unknown): Partner | null {
  return id ? { id: String(id), email: String(email), name: String(name) } : null;
}

function toInvitation(raw: Record<string, unknown>): Invitation {
  return {
    ...(raw as unknown as InvitationRow),
    organization_name: String(raw.organization_name),
    organization_ip_allowlist: json(raw.organization_ip_allowlist),
    ...columns.read(raw),
    creator: partner(raw.created_by, raw.c_email, raw.c_name)!,
    acceptor: partner(raw.accepted_by, raw.a_email, raw.a_name),
    revoker: partner(raw.revoked_by, raw.r_email, raw.r_name),
  };
}

export function statusAt(invitation: InvitationRow, at: string): InvitationStatus {
  if (invitation.accepted_at) return 'accepted';
  if (invitation.revoked_at) return 'revoked';
  return invitation.expires_at <= at ? 'expired' : 'pending';
}

export const invitationRepository = {
  async insert(sql: Sql, row: InvitationRow): Promise<void> {
    const { sql: text, params } = columns.insert(row);
    await sql.run(text, params);
  },

  async find(sql: Sql, organizationId: string, id: string): Promise<Invitation | undefined> {
    const raw = await sql.get<Record<string, unknown>>(`${SELECT} WHERE i.organization_id = ? AND i.id = ?`, [organizationId, id]);
    return raw && toInvitation(raw);
  },

  async countPending(sql: Sql, organizationId: string, at: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM invitation i WHERE i.organization_id = ? AND ${STATUS_CONDITIONS.pending.sql}`, [organizationId, at]);
    return Number(row?.n ?? 0);
  },

  async hasPending(sql: Sql, organizationId: string, emailKey: string, at: string): Promise<boolean> {
    const row = await sql.get(`SELECT 1 AS found FROM invitation i WHERE i.organization_id = ? AND i.email_key = ? AND ${STATUS_CONDITIONS.pending.sql}`, [organizationId, emailKey, at]);
    return row !== undefined;
  },

  /** Expired invitations give up their pending slot, so the same email may be invited again. */
  async releaseExpired(sql: Sql, organizationId: string, emailKey: string, at: string): Promise<void> {
    await sql.run('UPDATE invitation SET pending_key = NULL WHERE organization_id = ? AND pending_key = ? AND expires_at <= ?', [organizationId, emailKey, at]);
  },

  async markAccepted(sql: Sql, id: string, at: string, by: string): Promise<void> {
    await sql.run('UPDATE invitation SET accepted_at = ?, accepted_by = ?, pending_key = NULL WHERE id = ?', [at, by, id]);
  },

  async markRevoked(sql: Sql, id: string, at: string, by: string): Promise<void> {
    await sql.run('UPDATE invitation SET revoked_at = ?, revoked_by = ?, pending_key = NULL WHERE id = ?', [at, by, id]);
  },

  async count(sql: Sql, organizationId: string, status: InvitationStatus | undefined, at: string): Promise<number> {
    const [filter, params] = statusFilter(status, at);
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM invitation i WHERE i.organization_id = ?${filter}`, [organizationId, ...params]);
    return Number(row?.n ?? 0);
  },

  /** A page of the organization's invitations, newest first. */
  async page(sql: Sql, organizationId: string, status: InvitationStatus | undefined, at: string, limit: number, offset: number): Promise<Invitation[]> {
    const [filter, params] = statusFilter(status, at);
    const rows = await sql.all<Record<string, unknown>>(`${SELECT} WHERE i.organization_id = ?${filter} ORDER BY i.created_at DESC, i.id LIMIT ? OFFSET ?`, [organizationId, ...params, limit, offset]);
    return rows.map(toInvitation);
  },

  async countPendingFor(sql: Sql, emailKey: string, at: string): Promise<number> {
    const row = await sql.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM invitation i WHERE i.email_key = ? AND ${STATUS_CONDITIONS.pending.sql}`, [emailKey, at]);
    return Number(row?.n ?? 0);
  },

  /** Pending invitations addressed to this email, in any organization, newest first. */
  async pagePendingFor(sql: Sql, emailKey: string, at: string, limit: number, offset: number): Promise<Invitation[]> {
    const rows = await sql.all<Record<string, unknown>>(`${SELECT} WHERE i.email_key = ? AND ${STATUS_CONDITIONS.pending.sql} ORDER BY i.created_at DESC, i.id LIMIT ? OFFSET ?`, [emailKey, at, limit, offset]);
    return rows.map(toInvitation);
  },
};
