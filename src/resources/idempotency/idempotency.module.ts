import type { ResourceModule } from '../module.js';
import { idempotencyKeyEntity } from './idempotency-key.entity.js';

/** No class of its own: the first answer to each Idempotency-Key, kept for its retries (src/http/idempotency.ts). */
export const idempotencyModule: ResourceModule = {
  descriptions: [],
  entities: [idempotencyKeyEntity],
};
