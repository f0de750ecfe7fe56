import type { ResourceModule } from '../module.js';
import { meHandlers } from './me.http.js';
import { partnerDescription } from './partner.description.js';
import { apiTokenEntity, partnerEntity, partnerTallyEntity } from './partner.entity.js';

/** Partners are created by the CLI; over HTTP a partner reads only itself, at /api/me. */
export const partnerModule: ResourceModule = {
  descriptions: [partnerDescription],
  serves: { description: partnerDescription, handlers: () => meHandlers },
  entities: [partnerEntity, partnerTallyEntity, apiTokenEntity],
};
