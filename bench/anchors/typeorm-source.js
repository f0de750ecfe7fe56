// The typical stack's data access: a TypeORM DataSource on the benchmark's SQLite file,
// with the project's own entity schemas (organization, membership, partner) and the
// relations a typical TypeORM API declares on them, so `findOne` can load the members.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource, EntitySchema } from 'typeorm';
import { ROOT } from '../paths.js';
import { SQLITE_FILE } from './common.js';

const fromDist = (file) => import(pathToFileURL(path.join(ROOT, 'dist/src', file)).href);
const { organizationEntity } = await fromDist('resources/organization/organization.entity.js');
const { membershipEntity } = await fromDist('resources/member/membership.entity.js');
const { partnerEntity } = await fromDist('resources/partner/partner.entity.js');
const { columnTypes } = await fromDist('persistence/column-types.js');

/** The project's schema plus `relations` (the project itself declares none: it writes its own SQL). */
const withRelations = (schema, relations) => new EntitySchema({ ...schema.options, relations });

function entities() {
  const t = columnTypes('sqlite');
  return [
    withRelations(organizationEntity(t), { memberships: { type: 'one-to-many', target: 'membership', inverseSide: 'organization' } }),
    withRelations(membershipEntity(t), {
      organization: { type: 'many-to-one', target: 'organization', joinColumn: { name: 'organization_id' }, inverseSide: 'memberships' },
      partner: { type: 'many-to-one', target: 'partner', joinColumn: { name: 'partner_id' } },
    }),
    partnerEntity(t),
  ];
}

export async function organizationRepository() {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: SQLITE_FILE,
    entities: entities(),
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
