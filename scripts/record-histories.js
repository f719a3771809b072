#!/usr/bin/env node
// Re-records the workflow histories the replay test replays (workflows/test/histories/): runs the time-skipping tests
// with ENTRA_RECORD_HISTORIES set, so each of their workflow runs is saved. Run it after a deliberate workflow change
// that is patched (docs/changing-workflows.md) and commit the new files next to the old ones; never only replace them.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.resolve(root, process.argv[2] ?? 'workflows/test/histories');
const r = spawnSync('pnpm', ['-s', 'jest', 'workflows/test/time-skipping', '--selectProjects', 'integration', '--maxWorkers=1'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ENTRA_RECORD_HISTORIES: out },
});
if (r.status !== 0) {
  process.stderr.write(`recording failed (exit ${r.status ?? r.signal}); histories under ${path.relative(root, out)} may be partial\n`);
  process.exit(1);
}
process.stderr.write(`histories recorded under ${path.relative(root, out)}\n`);
