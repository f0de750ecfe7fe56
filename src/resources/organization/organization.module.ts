import type { ResourceModule } from '../module.js';
import { organizationDescription } from './organization.description.js';
import { organizationEntity } from './organization.entity.js';
import { organizationHandlers } from './organization.http.js';

export const organizationModule: ResourceModule = {
  descriptions: [organizationDescription],
  // A merge patch is validated as the whole organization it makes, against the create schema, by the chain's merge-patch step.
  serves: { description: organizationDescription, handlers: () => organizationHandlers() },
  entities: [organizationEntity],
};
