import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_CONFIG_FILE, chooseConfigFile } from '../src/load';

// The one rule every command follows: --config, else $ENTRA_INGEST_CONFIG, else the dev stack's demo config here.
test('--config wins, then $ENTRA_INGEST_CONFIG, then the dev stack demo config in the current directory', () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'config-rule-'));
  expect(chooseConfigFile(undefined, {}, cwd)).toBeUndefined();
  fs.mkdirSync(path.join(cwd, '.data'));
  fs.writeFileSync(path.join(cwd, DEV_CONFIG_FILE), 'feeds: []\n');
  expect(chooseConfigFile(undefined, {}, cwd)).toBe(path.join(cwd, '.data/demo-feeds.yaml'));
  expect(chooseConfigFile(undefined, { ENTRA_INGEST_CONFIG: '/etc/feeds.yaml' }, cwd)).toBe('/etc/feeds.yaml');
  expect(chooseConfigFile('mine.yaml', { ENTRA_INGEST_CONFIG: '/etc/feeds.yaml' }, cwd)).toBe('mine.yaml');
});
