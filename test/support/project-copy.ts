import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/project-root.js';

/**
 * A copy of the built project in a temporary folder, so that a test can use the default
 * database (the project's data/ folder) without touching this checkout's. dist/ and bin/ are
 * copied (the code finds its project from where it is), what it only reads is linked.
 */
export function projectCopy() {
  const root = mkdtempSync(path.join(tmpdir(), 'linked-orgs-project-'));
  for (const copied of ['package.json', 'bin', 'dist']) cpSync(path.join(PROJECT_ROOT, copied), path.join(root, copied), { recursive: true });
  for (const linked of ['node_modules', 'src', 'contexts', 'schemas']) symlinkSync(path.join(PROJECT_ROOT, linked), path.join(root, linked));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
