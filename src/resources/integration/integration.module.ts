import type { ResourceModule } from '../module.js';
import { integrationDescription } from './integration.description.js';
import { integrationEntity } from './integration.entity.js';
import { integrationHandlers } from './integration.http.js';

export const integrationModule: ResourceModule = {
  descriptions: [integrationDescription],
  serves: { description: integrationDescription, handlers: () => integrationHandlers },
  entities: [integrationEntity],
};
