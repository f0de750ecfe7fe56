import type { ResourceModule } from '../module.js';
import { auditEventEntity } from './audit-event.entity.js';
import { auditEventDescription } from './audit.description.js';
import { auditHandlers } from './audit.http.js';

export const auditModule: ResourceModule = {
  descriptions: [auditEventDescription],
  serves: { description: auditEventDescription, handlers: () => auditHandlers },
  entities: [auditEventEntity],
};
