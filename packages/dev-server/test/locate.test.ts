import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { locateTemporalCli, searchAttributeArgs, searchAttributeCommands } from '../src';

// The bootstrap's search order: $TEMPORAL_CLI, then `temporal` on PATH, then the project's cache — before any install.

function fakeCli(dir: string, version: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'temporal');
  fs.writeFileSync(file, `#!/bin/sh\necho "temporal version ${version}"\n`, { mode: 0o755 });
  return file;
}

describe('locateTemporalCli', () => {
  const saved = { path: process.env.PATH, cli: process.env.TEMPORAL_CLI };
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'locate-'));
    process.env.PATH = '/usr/bin:/bin';
    delete process.env.TEMPORAL_CLI;
  });
  afterEach(() => {
    process.env.PATH = saved.path;
    if (saved.cli === undefined) delete process.env.TEMPORAL_CLI;
    else process.env.TEMPORAL_CLI = saved.cli;
  });

  test('TEMPORAL_CLI wins over PATH and the cache', () => {
    process.env.TEMPORAL_CLI = fakeCli(path.join(root, 'env'), '9.9.9-env');
    process.env.PATH = `${path.join(root, 'onpath')}:${process.env.PATH}`;
    fakeCli(path.join(root, 'onpath'), '9.9.9-path');
    expect(locateTemporalCli({ projectRoot: root, install: false })).toMatchObject({ source: 'env', version: 'temporal version 9.9.9-env' });
  });

  test('then PATH, then the project cache', () => {
    fakeCli(path.join(root, '.tools/temporal/bin'), '9.9.9-cache');
    expect(locateTemporalCli({ projectRoot: root, install: false })).toMatchObject({ source: 'cache', version: 'temporal version 9.9.9-cache' });
    fakeCli(path.join(root, 'onpath'), '9.9.9-path');
    process.env.PATH = `${path.join(root, 'onpath')}:${process.env.PATH}`;
    expect(locateTemporalCli({ projectRoot: root, install: false }).source).toBe('path');
  });

  test('a broken TEMPORAL_CLI is reported, and nothing found without install is a clear error', () => {
    process.env.TEMPORAL_CLI = path.join(root, 'missing');
    expect(() => locateTemporalCli({ projectRoot: root, install: false })).toThrow(/Temporal CLI not found .*env: .*missing is not a working temporal binary.*npm run setup/);
  });
});

test('search attributes are registered with their types, for the dev server and for a real cluster', () => {
  const args = searchAttributeArgs();
  expect(args.filter((a) => a === '--search-attribute')).toHaveLength(args.length / 2);
  expect(args).toContain('EntraWindowStart=Datetime');
  expect(searchAttributeCommands('prod')).toContain('temporal operator search-attribute create --namespace prod --name EntraStatus --type Keyword');
});
