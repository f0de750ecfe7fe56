import type { Database } from '../../persistence/database.js';
import { isUuid } from '../../persistence/values.js';
import { notFound } from '../../problems/app-error.js';
import { authorize } from '../organization/organization-access.js';
import type { Partner } from '../partner/partner-repository.js';
import { auditRepository, type AuditEvent } from './audit-repository.js';

export async function listAuditEvents(db: Database, caller: Partner, organizationId: string, action: string | undefined, page: { limit: number; offset: number }): Promise<{ items: AuditEvent[]; total: number }> {
  await authorize(db, caller, organizationId, 'audit:read');
  const [items, total] = await Promise.all([auditRepository.page(db, organizationId, action, page.limit, page.offset), auditRepository.count(db, organizationId, action)]);
  return { items, total };
}

export async function getAuditEvent(db: Database, caller: Partner, organizationId: string, id: string): Promise<AuditEvent> {
  await authorize(db, caller, organizationId, 'audit:read');
  const event = isUuid(id) ? await auditRepository.find(db, organizationId, id) : undefined;
  if (!event) throw notFound('audit event');
  return event;
}
