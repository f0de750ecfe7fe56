import type { ColumnTypes } from './column-types.js';
import { auditEventEntity } from '../resources/audit/audit-event.entity.js';
import { idempotencyKeyEntity } from '../resources/idempotency/idempotency-key.entity.js';
import { integrationEntity } from '../resources/integration/integration.entity.js';
import { invitationEntity } from '../resources/invitation/invitation.entity.js';
import { autoJoinDomainEntity } from '../resources/joinable/auto-join-domain.entity.js';
import { membershipEntity } from '../resources/member/membership.entity.js';
import { organizationEntity } from '../resources/organization/organization.entity.js';
import { apiTokenEntity, partnerEntity } from '../resources/partner/partner.entity.js';

/** The TypeORM entity schemas; a test checks the migrations produce exactly these tables. */
export function entities(types: ColumnTypes) {
  return [partnerEntity(types), apiTokenEntity(types), organizationEntity(types), membershipEntity(types), invitationEntity(types), auditEventEntity(types), idempotencyKeyEntity(types), integrationEntity(types), autoJoinDomainEntity(types)];
}
