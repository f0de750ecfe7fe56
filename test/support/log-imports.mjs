// `node --import ./log-imports.mjs …`: appends the URL of every module the program imports to
// the file IMPORTS_LOG names, so a test can see what a command loaded (see cli.test.ts).
import { register } from 'node:module';

register('./log-imports-hooks.mjs', import.meta.url);
