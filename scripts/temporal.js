#!/usr/bin/env node
// `pnpm -s temporal …`: the Temporal CLI that `npm start` / `npm run setup` installed under .tools/, aimed at the same
// server the entra-ingest commands use. When TEMPORAL_ADDRESS is not set, the address and namespace come from the
// config found by the one rule every command follows (--config is not taken here: $ENTRA_INGEST_CONFIG, else the
// dev stack's .data/demo-feeds.yaml), so after `npm start` on other ports it still talks to the right server.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { chooseConfigFile, loadConfig, temporalTarget } = require(path.join(root, 'packages/config/dist'));
const { locateTemporalCli } = require(path.join(root, 'packages/dev-server/dist'));

let cli;
try {
  cli = locateTemporalCli({ projectRoot: root, install: false });
} catch (err) {
  process.stderr.write(`temporal: ${err.message}\n`);
  process.exit(1);
}
const env = { ...process.env };
if (!env.TEMPORAL_ADDRESS && chooseConfigFile()) {
  try {
    const target = temporalTarget(loadConfig().config, env);
    env.TEMPORAL_ADDRESS = target.address;
    env.TEMPORAL_NAMESPACE = env.TEMPORAL_NAMESPACE || target.namespace;
  } catch (err) {
    process.stderr.write(`temporal: ${err.message}\n`);
    process.exit(2);
  }
}
const r = spawnSync(cli.path, process.argv.slice(2), { stdio: 'inherit', env });
if (r.error) {
  process.stderr.write(`temporal: cannot run ${cli.path}: ${r.error.message}\n`);
  process.exit(1);
}
process.exit(r.status ?? 1);
