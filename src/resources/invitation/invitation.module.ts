import type { ResourceModule } from '../module.js';
import { invitationDescription } from './invitation.description.js';
import { invitationEntity } from './invitation.entity.js';
import { invitationHandlers } from './invitation.http.js';

export const invitationModule: ResourceModule = {
  descriptions: [invitationDescription],
  serves: { description: invitationDescription, handlers: () => invitationHandlers },
  entities: [invitationEntity],
};
