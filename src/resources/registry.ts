import type { ResourceDescription } from './description.js';
import { auditEventDescription } from './audit/audit.description.js';
import { entrypointDescription } from './entrypoint/entrypoint.description.js';
import { errorDescription, constraintViolationListDescription, constraintViolationDescription } from './error/error.description.js';
import { integrationDescription } from './integration/integration.description.js';
import { invitationDescription } from './invitation/invitation.description.js';
import { joinableOrganizationDescription } from './joinable/joinable.description.js';
import { memberDescription } from './member/member.description.js';
import { organizationDescription } from './organization/organization.description.js';
import { partnerDescription } from './partner/partner.description.js';

/** Every class the API returns, in the order the documentation lists them. */
export const resources: ResourceDescription[] = [
  entrypointDescription,
  organizationDescription,
  memberDescription,
  invitationDescription,
  integrationDescription,
  auditEventDescription,
  partnerDescription,
  joinableOrganizationDescription,
  errorDescription,
  constraintViolationListDescription,
  constraintViolationDescription,
];

/** Resources with a context document of their own under /api/contexts. */
export const contextResources: ResourceDescription[] = [
  entrypointDescription,
  organizationDescription,
  memberDescription,
  invitationDescription,
  integrationDescription,
  auditEventDescription,
  partnerDescription,
  joinableOrganizationDescription,
  errorDescription,
  constraintViolationListDescription,
];

/** Resources whose create or update bodies are validated with a JSON Schema from schemas/. */
export const writableResources: ResourceDescription[] = [organizationDescription, memberDescription, invitationDescription, integrationDescription];
