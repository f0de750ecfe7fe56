import type { ResourceModule } from '../module.js';
import { memberDescription } from './member.description.js';
import { memberHandlers } from './member.http.js';
import { membershipEntity } from './membership.entity.js';

export const memberModule: ResourceModule = {
  descriptions: [memberDescription],
  serves: { description: memberDescription, handlers: () => memberHandlers },
  entities: [membershipEntity],
};
