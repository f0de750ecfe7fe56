import type { Database } from '../../persistence/database.js';
import { lockRow } from '../../persistence/row-lock.js';
import { isUuid, now } from '../../persistence/values.js';
import { AppError } from '../../problems/app-error.js';
import { auditRepository } from '../audit/audit-repository.js';
import { organizationRepository } from './organization-repository.js';

const MAX_OPERATOR_LENGTH = 100;

/**
 * For operators with the CLI, when an organization's ip_allowlist shuts out everyone who should
 * reach it (the API refuses a list that leaves out the address setting it, but addresses change).
 * The operator holds the database, so no access check; the change is audited with the name it
 * gives, in the transaction of the change. An empty list is left as it is, and not audited.
 */
export async function clearIpAllowlist(db: Database, organizationId: string, operator: string): Promise<{ id: string; cleared: string[] }> {
  const name = operator.trim();
  if (!name || name.length > MAX_OPERATOR_LENGTH) throw new AppError('validation-failed', `--operator needs 1 to ${MAX_OPERATOR_LENGTH} characters: who is doing this, for the audit trail.`);
  return db.transaction(async (tx) => {
    const organization = isUuid(organizationId) && (await lockRow(tx, 'organization', organizationId)) ? await organizationRepository.find(tx, organizationId) : undefined;
    if (!organization) throw new AppError('not-found', `No organization has the id ${organizationId}.`);
    const cleared = organization.ip_allowlist;
    if (cleared.length === 0) return { id: organizationId, cleared };
    const at = now();
    await organizationRepository.update(tx, organizationId, { ip_allowlist: [], updated_at: at });
    const target = { type: 'organization' as const, id: organizationId };
    await auditRepository.record(tx, { organizationId, operator: name, action: 'organization.updated', target, before: { ip_allowlist: cleared }, after: { ip_allowlist: [] }, at });
    return { id: organizationId, cleared };
  });
}
