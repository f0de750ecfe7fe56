import { invalid, violation } from '../../problems/violation.js';
import type { Violation } from '../../problems/app-error.js';
import { ownAddressViolation } from './ip-allowlist.js';
import type { OrganizationRow } from './organization.entity.js';

type Settings = Pick<OrganizationRow, 'is_personal' | 'ip_allowlist' | 'auto_join_domains'>;

/**
 * What the JSON Schema cannot say, as it judges one value at a time: rules between settings and
 * the request that sets them. Checked on create and on each change, for the settings it touches
 * (an organization stored before a rule existed is not refused for what the change leaves alone).
 */
function violations(settings: Settings, touched: ReadonlySet<string>, address: string | undefined): Violation[] {
  const found: Violation[] = [];
  if (touched.has('auto_join_domains') && settings.is_personal && settings.auto_join_domains.length > 0) {
    found.push(violation('personal_organization', 'auto_join_domains', {}));
  }
  if (touched.has('ip_allowlist')) {
    const lockout = ownAddressViolation(settings.ip_allowlist, address);
    if (lockout) found.push(lockout);
  }
  return found;
}

/** 422 listing every broken rule; `touched` are the settings the request sets. */
export function requireConsistentSettings(settings: Settings, touched: Iterable<string>, address: string | undefined): void {
  const found = violations(settings, new Set(touched), address);
  if (found.length) throw invalid(found);
}
