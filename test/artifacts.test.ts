import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { artifacts } from '../src/generators/artifacts.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { ROLES } from '../src/resources/member/member.description.js';
import { ACTIONS, may } from '../src/resources/member/permissions.js';
import { startApi, type Api } from './support/harness.js';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

describe('Generated files', () => {
  it.each(artifacts().map((a) => [`${a.dir}/${a.file}`, a.content]))('When %s is generated from the descriptions, then it equals the committed file (run npm run generate)', (file, content) => {
    expect(readFileSync(path.join(PROJECT_ROOT, file), 'utf8')).toBe(content);
  });

  it('When the migrations have run, then the tables are exactly what the entity schemas describe', async () => {
    const pending = await api.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});

describe('The README', () => {
  it("When the README's roles table is compared with the permission table in the code, then they say the same", () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const table = /<!-- roles-table:start -->\n([\s\S]*?)<!-- roles-table:end -->/.exec(readme)?.[1];
    const rows = ACTIONS.map((action) => `| \`${action}\` | ${ROLES.map((role) => (may(role, action) ? 'yes' : 'no')).join(' | ')} |`);
    expect(table).toBe([`| Action | ${ROLES.join(' | ')} |`, `|---|${ROLES.map(() => '---|').join('')}`, ...rows, ''].join('\n'));
  });
});
