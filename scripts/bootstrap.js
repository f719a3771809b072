#!/usr/bin/env node
// One-step set-up for a fresh machine with only Node 20+ (and Python 3 or Go for the Temporal CLI):
// installs pnpm if missing, the workspace's dependencies, builds, and finds or installs the Temporal CLI.
// Idempotent and quick when everything is already there. Plain Node on purpose: nothing is installed yet.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const PNPM_VERSION = '12.21.0';
const root = path.resolve(__dirname, '..');
const log = (line) => process.stderr.write(`[setup] ${line}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    log(`failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function has(cmd, args = ['--version']) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  log(`Node ${process.versions.node} is too old: entra-ingest needs Node 20.19 or newer (it loads an ES-module-only library with require)`);
  process.exit(1);
}

if (!has('pnpm')) {
  log(`installing pnpm ${PNPM_VERSION} with npm`);
  run('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`]);
}
log('installing dependencies');
run('pnpm', ['install', '--frozen-lockfile', '--reporter=silent']);
log('building');
run('pnpm', ['-s', 'build']);

const { locateTemporalCli, locateTestServer, locateVersitygw, locateCompose } = require(path.join(root, 'packages/dev-server/dist'));
try {
  const cli = locateTemporalCli({ projectRoot: root, log });
  log(`Temporal CLI: ${cli.version} (${cli.source}: ${cli.path})`);
} catch (err) {
  log(err.message);
  process.exit(1);
}

// Temporal's time-skipping test server (workflows/test/time-skipping.int.test.ts): months of workflow time in
// seconds. Only the tests need it; they say what is missing.
try {
  const testServer = locateTestServer({ projectRoot: root, log });
  log(`Temporal test server: ${testServer.source}: ${testServer.path}`);
} catch (err) {
  log(`warning: ${err.message}`);
}

// The S3-compatible server of the tests (versitygw, built with Go once and cached). Only the tests need it: without
// Go, `npm start` (file store) still works, and the S3 tests say what is missing.
try {
  const s3 = locateVersitygw({ projectRoot: root, log });
  log(`S3 test server: versitygw (${s3.source}: ${s3.path})`);
} catch (err) {
  log(`warning: ${err.message}`);
}

// Docker Compose, to validate docker-compose.yml with Compose's own parser (no daemon needed). Only a test needs it.
try {
  const compose = locateCompose({ projectRoot: root, log });
  log(`Docker Compose: ${compose.source}: ${compose.command.join(' ')}`);
} catch (err) {
  log(`warning: ${err.message}`);
}
