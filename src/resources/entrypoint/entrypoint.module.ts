import type { ResourceModule } from '../module.js';
import { entrypointDescription } from './entrypoint.description.js';

/** The entrypoint is answered by the discovery router (src/http/discovery.ts), with the documentation. */
export const entrypointModule: ResourceModule = {
  descriptions: [entrypointDescription],
};
