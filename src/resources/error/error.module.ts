import type { ResourceModule } from '../module.js';
import { constraintViolationDescription, constraintViolationListDescription, errorDescription } from './error.description.js';

/** Problem documents are written by the error handler (src/http/error-handler.ts), for every route. */
export const errorModule: ResourceModule = {
  descriptions: [errorDescription, constraintViolationListDescription, constraintViolationDescription],
};
