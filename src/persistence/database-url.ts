import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

export type DatabaseTarget =
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgres'; url: string };

/**
 * Without DATABASE_URL, the server and the CLI use one file in the project's data folder,
 * whatever the working directory: resolved against it, a command run from a subfolder
 * silently made a second database whose tokens the server did not know.
 */
export const DEFAULT_DATABASE_URL = `sqlite:${path.join(PROJECT_ROOT, 'data', 'linked-orgs.sqlite')}`;

/** `sqlite:PATH` (a relative PATH is relative to the working directory) or `postgres://user@host:port/db`. */
export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new Error('DATABASE_URL=sqlite:PATH needs a file path');
    return { engine: 'sqlite', file: path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { engine: 'postgres', url };
  throw new Error(`DATABASE_URL must start with sqlite: or postgres://, got "${url.split(':')[0]}:"`);
}

/** Where the database is, to tell the person running a command: the absolute file, or the URL without its password. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.engine === 'sqlite') return `sqlite:${target.file}`;
  const url = new URL(target.url);
  url.password = '';
  return url.toString();
}
