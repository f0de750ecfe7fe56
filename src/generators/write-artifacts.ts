import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import { artifacts } from './artifacts.js';

// `npm run generate`: rewrites contexts/ and schemas/ after a description changed.
for (const artifact of artifacts()) {
  const dir = path.join(PROJECT_ROOT, artifact.dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, artifact.file), artifact.content);
  console.log(`wrote ${artifact.dir}/${artifact.file}`);
}
