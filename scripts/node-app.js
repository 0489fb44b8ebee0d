#!/usr/bin/env node
// Runs a compiled app from dist/ with the @app/* path aliases resolved to their
// compiled libraries: tsc keeps aliases as written, so Node needs this mapping.
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.json');

const distRoot = path.resolve(__dirname, '..', 'dist');
tsConfigPaths.register({ baseUrl: distRoot, paths: compilerOptions.paths });

const [, , entry, ...args] = process.argv;
if (!entry) {
  console.error('usage: node scripts/node-app.js dist/apps/<app>/src/main.js [args]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));
