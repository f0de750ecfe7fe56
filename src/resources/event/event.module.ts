import type { ResourceModule } from '../module.js';
import { formerReaderEntity, eventEntity, eventSequenceEntity } from './event.entity.js';
import { eventDescription } from './event.description.js';
import { eventHandlers } from './event.http.js';

export const eventModule: ResourceModule = {
  descriptions: [eventDescription],
  serves: { description: eventDescription, handlers: () => eventHandlers },
  entities: [eventEntity, eventSequenceEntity, formerReaderEntity],
};
