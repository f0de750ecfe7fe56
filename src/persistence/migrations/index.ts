import { InitialSchema1763900000000 } from './1763900000000-initial-schema.js';

/** Every migration, oldest first; they run on start. */
export const migrations = [InitialSchema1763900000000];
