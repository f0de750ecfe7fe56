import type { EntitySchema } from 'typeorm';
import type { InputValidator } from '../input/input-validator.js';
import type { ResourceHandlers } from '../http/mount-operations.js';
import type { ColumnTypes } from '../persistence/column-types.js';
import type { WebhookSettings } from './webhook/webhook-settings.js';
import type { ResourceDescription } from './description.js';

/** What handlers may be built with: the app makes these once and hands them to every module. */
export interface HandlerNeeds {
  validator: InputValidator;
  /** WEBHOOK_* settings: the key that seals signing secrets, the hosts a local receiver may use. */
  webhooks: WebhookSettings;
}

/**
 * Everything the rest of the service needs to know about one resource folder, exported once
 * (its public face): registry.ts lists the modules, and routes, tables, contexts, schemas and
 * the copy order follow from them.
 */
export interface ResourceModule {
  /** The classes the folder describes, in the order the API documentation lists them. */
  descriptions: ResourceDescription[];
  /** The description whose routes the handlers answer, and the handlers (built from what they need). */
  serves?: { description: ResourceDescription; handlers: (needs: HandlerNeeds) => ResourceHandlers };
  /**
   * The folder's tables. Their foreign keys order the database copy (parents first), so a
   * module needs to name no other module.
   */
  // Each schema's row type is its own: `any` here, as TypeORM's own `entities` option takes them.
  entities?: ((types: ColumnTypes) => EntitySchema<any>)[];
}
