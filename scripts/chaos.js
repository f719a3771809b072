#!/usr/bin/env node
// `pnpm test:chaos`: builds the CLI the worker processes run, then runs tests/chaos/main.ts in this process,
// compiling TypeScript on the fly with swc (as jest does) and resolving @entra-ingest/* to the packages' sources.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

if (!process.argv.includes('--no-build')) {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
process.argv = process.argv.filter((a) => a !== '--no-build');

const { transformSync } = require('@swc/core');

const WORKSPACE = /^@entra-ingest\/(config|graph|graph-simulator|ocsf|sinks|store|dev-server|cli|codec|workflows|worker)$/;
const FOLDERS = { workflows: 'workflows/src', worker: 'workers/src' };
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const m = WORKSPACE.exec(request);
  if (m) request = path.join(root, FOLDERS[m[1]] ?? `packages/${m[1]}/src`);
  return resolveFilename.call(this, request, parent, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  });
  module._compile(code, filename);
};

require(path.join(root, 'tests/chaos/main.ts'));
