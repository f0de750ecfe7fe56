// The typical stack's data access: a TypeORM DataSource on the benchmark's SQLite file,
// with the project's own entity schema for the organization table.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { ROOT } from '../paths.js';
import { SQLITE_FILE } from './common.js';

const fromDist = (file) => import(pathToFileURL(path.join(ROOT, 'dist/src', file)).href);
const { organizationEntity } = await fromDist('resources/organization/organization.entity.js');
const { columnTypes } = await fromDist('persistence/column-types.js');

export async function organizationRepository() {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: SQLITE_FILE,
    entities: [organizationEntity(columnTypes('sqlite'))],
    synchronize: false,
    logging: false,
    prepareDatabase: (db) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
    },
  });
  await dataSource.initialize();
  return dataSource.getRepository('organization');
}
