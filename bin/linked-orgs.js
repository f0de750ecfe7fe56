#!/usr/bin/env node
// The CLI is TypeScript compiled to dist/ by `npm install` (the prepare script).
import '../dist/src/cli/linked-orgs.js';
