import type { ResourceModule } from '../module.js';
import { autoJoinDomainEntity } from './auto-join-domain.entity.js';
import { joinableOrganizationDescription } from './joinable.description.js';
import { joinableHandlers } from './joinable.http.js';

export const joinableModule: ResourceModule = {
  descriptions: [joinableOrganizationDescription],
  serves: { description: joinableOrganizationDescription, handlers: () => joinableHandlers },
  entities: [autoJoinDomainEntity],
};
