import type { ColumnTypes } from '../persistence/column-types.js';
import { parentCollection, type ResourceDescription } from './description.js';
import { auditModule } from './audit/audit.module.js';
import { eventModule } from './event/event.module.js';
import { entrypointModule } from './entrypoint/entrypoint.module.js';
import { errorModule } from './error/error.module.js';
import { idempotencyModule } from './idempotency/idempotency.module.js';
import { integrationModule } from './integration/integration.module.js';
import { invitationModule } from './invitation/invitation.module.js';
import { joinableModule } from './joinable/joinable.module.js';
import { memberModule } from './member/member.module.js';
import type { ResourceModule } from './module.js';
import { webhookModule } from './webhook/webhook.module.js';
import { organizationModule } from './organization/organization.module.js';
import { partnerModule } from './partner/partner.module.js';

/**
 * Every resource module, once. The order is the API documentation's (entrypoint first, errors
 * last) and the routes' mounting order; the database copy orders tables by their foreign keys.
 */
export const modules: ResourceModule[] = [
  entrypointModule,
  organizationModule,
  memberModule,
  invitationModule,
  integrationModule,
  auditModule,
  eventModule,
  webhookModule,
  partnerModule,
  joinableModule,
  idempotencyModule,
  errorModule,
];

/**
 * Gives each parent the link properties its nested collections declare (`linkedFrom`): a
 * collection link, exactly as a parent's own `collectionOf` property is written. Done once, as
 * the registry loads, before anything reads a description's properties to serve or generate.
 */
function linkParents(all: ResourceDescription[]): ResourceDescription[] {
  for (const resource of all.filter((r) => r.linkedFrom)) {
    const above = parentCollection(resource);
    const parent = above && all.find((r) => r.collectionPath === above.path);
    const { property, description } = resource.linkedFrom!;
    if (!parent) throw new Error(`${resource.name} declares a link from its parent, but ${resource.collectionPath} hangs below no described collection`);
    if (parent.properties[property]) throw new Error(`${resource.name} declares ${parent.name}.${property}, which ${parent.name} already has`);
    parent.properties[property] = { range: 'hydra:Collection', description, schema: { type: 'string', format: 'iri-reference' }, link: true, collectionOf: resource.name };
  }
  return all;
}

/** Every class the API returns, in the order the documentation lists them. */
export const resources: ResourceDescription[] = linkParents(modules.flatMap((m) => m.descriptions));

/** Resources with a context document of their own under /api/contexts. */
export const contextResources: ResourceDescription[] = resources.filter((r) => !r.embeddedOnly);

/** Resources whose create or update bodies are validated with a JSON Schema from schemas/: those clients POST or PATCH. */
export const writableResources: ResourceDescription[] = resources.filter((r) => r.operations.collection?.POST || r.operations.item?.PATCH);

/** The TypeORM entity schemas of every module's tables; a test checks the migrations produce exactly these tables. */
export function entities(types: ColumnTypes) {
  return modules.flatMap((m) => m.entities ?? []).map((entity) => entity(types));
}
