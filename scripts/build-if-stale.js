#!/usr/bin/env node
// `npm start` runs this first. It compiles src/ to dist/ only when dist/ is missing or older
// than a source file, so a built tree starts at once: tsc alone takes about 7 s, which
// `npm start` used to spend on every start. Looking at the files takes a few milliseconds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BUILT = path.join(root, 'dist/src/main.js');
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'].map((file) => path.join(root, file));

const modified = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, modified(file));
  }
  return newest;
}

const built = modified(BUILT);
if (built === 0 || Math.max(newestSource(path.join(root, 'src')), ...CONFIGS.map(modified)) > built) {
  console.error(built === 0 ? 'dist/ is missing: compiling src/ first' : 'src/ changed since the last build: compiling it first');
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  process.exit(tsc.status ?? 1);
}
