import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { artifacts } from '../src/generators/artifacts.js';
import { PROJECT_ROOT } from '../src/project-root.js';
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
