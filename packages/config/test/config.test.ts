import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, unreadableCredentials, parseConfig, parseConfigText, parseDuration, resolveSecret, createLogger, temporalTarget } from '../src';
import { minimalFeed, problems } from './config-fixtures';

describe('feed config', () => {
  test('a minimal feed gets documented defaults', () => {
    const cfg = parseConfig({ feeds: [minimalFeed] });
    const feed = cfg.feeds[0]!;
    expect(feed.cloud).toBe('global');
    expect(feed.window).toBe(5 * 60_000);
    expect(feed.sweeps).toEqual([30 * 60_000, 6 * 3_600_000]);
    expect(feed.rateLimit).toEqual({ requests: 5, per: 10_000 });
    expect(feed.sinks).toEqual([{ type: 'file', id: 'file', gzip: false }]);
    expect(cfg.temporal.taskQueue).toBe('entra-ingest');
    // A terminated window's claims are taken over after an hour unless leases are turned off.
    expect(cfg.claimLease).toBe(3_600_000);
  });

  test('claimLease: a duration, or off', () => {
    expect(parseConfig({ claimLease: '30m', feeds: [minimalFeed] }).claimLease).toBe(30 * 60_000);
    expect(parseConfig({ claimLease: 'off', feeds: [minimalFeed] }).claimLease).toBeUndefined();
    expect(problems({ claimLease: 'never', feeds: [minimalFeed] })).toEqual([expect.stringMatching(/^claimLease: must be a duration like 1h, or off, got "never"/)]);
  });

  test('every problem names the field and the feed', () => {
    const found = problems({ feeds: [{ ...minimalFeed, window: 'soon', cloud: 'mars', credential: { clientSecret: 'inline-secret' } }] });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^feeds\[0\] \(feed "contoso"\)\.window: must be a duration like 5m, got "soon"/),
        expect.stringMatching(/^feeds\[0\] \(feed "contoso"\)\.cloud: /),
        expect.stringMatching(/^feeds\[0\] \(feed "contoso"\)\.credential/),
      ]),
    );
  });

  test.each([['../../etc'], ['a/b'], ['Demo'], [''], ['x'.repeat(64)], ['..']])('feed id %j with path characters is refused', (id) => {
    expect(problems({ feeds: [{ ...minimalFeed, id }] }).join('\n')).toMatch(/\.id: /);
  });

  test('unknown fields are refused, not ignored', () => {
    expect(problems({ feeds: [{ ...minimalFeed, windw: '5m' }] }).join('\n')).toMatch(/windw/);
  });

  test('custom cloud needs both URLs; duplicate feed ids and sink ids are refused', () => {
    expect(problems({ feeds: [{ ...minimalFeed, cloud: 'custom' }] }).join('\n')).toMatch(/custom.*loginUrl and graphUrl/);
    expect(problems({ feeds: [minimalFeed, minimalFeed] }).join('\n')).toMatch(/used twice/);
    const twoFileSinks = { ...minimalFeed, sinks: [{ type: 'file' }, { type: 'file' }] };
    expect(problems({ feeds: [twoFileSinks] }).join('\n')).toMatch(/sink id "file" is used twice/);
  });

  test('YAML syntax errors and duplicate keys are reported with the file name', () => {
    expect(() => parseConfigText('feeds:\n  - id: a\n    id: b\n', 'feeds.yaml')).toThrow(/feeds\.yaml cannot be parsed/);
    expect(() => parseConfigText('feeds: [', 'feeds.yaml')).toThrow(/feeds\.yaml cannot be parsed/);
  });

  test('loadConfig reads YAML from a file and reports a missing file clearly', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'feeds.yaml');
    fs.writeFileSync(file, `feeds:\n  - id: contoso\n    tenantId: t\n    clientId: c\n    credential: { clientSecret: { file: secret.txt } }\n    window: 15m\n`);
    const loaded = loadConfig(file);
    expect(loaded.baseDir).toBe(dir);
    expect(loaded.config.feeds[0]!.window).toBe(15 * 60_000);
    expect(() => loadConfig(path.join(dir, 'nope.yaml'))).toThrow(/cannot read config file .*nope\.yaml: ENOENT/);
  });
});

describe('secrets by reference', () => {
  test('env and file references resolve; missing ones say which', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sec-'));
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'from-file\n');
    process.env.ENTRA_TEST_SECRET_X = 'from-env';
    expect(resolveSecret({ env: 'ENTRA_TEST_SECRET_X' })).toBe('from-env');
    expect(resolveSecret({ file: 'secret.txt' }, dir)).toBe('from-file');
    expect(() => resolveSecret({ env: 'ENTRA_TEST_SECRET_MISSING' })).toThrow(/ENTRA_TEST_SECRET_MISSING is not set/);
    expect(() => resolveSecret({ file: 'absent.txt' }, dir)).toThrow(/cannot read file .*absent\.txt: ENOENT/);
  });
});

describe('durations', () => {
  test.each([['30s', 30_000], ['5m', 300_000], ['6h', 21_600_000], ['1d', 86_400_000], ['1h30m', 5_400_000], ['250ms', 250]])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  test.each([['5'], ['m'], ['5 minutes'], ['-5m'], ['']])('%j is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration/);
  });
});

describe('logger', () => {
  test('masks bearer tokens, JWTs, secrets in query strings and secret-named fields', () => {
    const lines: string[] = [];
    const log = createLogger('t', { write: (l) => lines.push(l), level: 'debug' });
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXZhbHVl';
    log.info(`GET with Authorization: Bearer ${jwt}`, { clientSecret: 'hunter2', url: 'https://x/token?client_secret=hunter3&a=1', nested: { password: 'p4ss' } });
    const out = lines.join('');
    for (const secret of [jwt, 'hunter2', 'hunter3', 'p4ss']) expect(out).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', component: 't', clientSecret: '[REDACTED]' });
  });
});

describe('Temporal target', () => {
  test('standard environment variables win over the config', () => {
    const cfg = parseConfig({ temporal: { address: 'cfg:7233', namespace: 'cfgns' }, feeds: [minimalFeed] });
    expect(temporalTarget(cfg, {})).toMatchObject({ address: 'cfg:7233', namespace: 'cfgns', taskQueue: 'entra-ingest' });
    expect(temporalTarget(cfg, { TEMPORAL_ADDRESS: 'env:7233', TEMPORAL_NAMESPACE: 'envns', TEMPORAL_API_KEY: 'k' })).toMatchObject({
      address: 'env:7233', namespace: 'envns', apiKey: 'k', tls: true,
    });
  });
});

describe('unreadableCredentials', () => {
  test('names each feed whose secret reference does not resolve now, and none when all do', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
    fs.writeFileSync(path.join(dir, 'secret.txt'), 's3cr3t\n');
    const cfg = parseConfig({
      feeds: [
        { ...minimalFeed, id: 'by-env', credential: { clientSecret: { env: 'UNREADABLE_CREDENTIALS_TEST_UNSET' } } },
        { ...minimalFeed, id: 'by-file', credential: { clientSecret: { file: 'secret.txt' } } },
        { ...minimalFeed, id: 'missing-file', credential: { clientSecret: { file: 'nope.txt' } } },
      ],
    });
    delete process.env.UNREADABLE_CREDENTIALS_TEST_UNSET;
    expect(unreadableCredentials(cfg.feeds, dir)).toEqual([
      { feed: 'by-env', problem: expect.stringContaining('environment variable UNREADABLE_CREDENTIALS_TEST_UNSET is not set') },
      { feed: 'missing-file', problem: expect.stringContaining('nope.txt') },
    ]);
    // Control: once the variable is set and the file exists, nothing is reported.
    process.env.UNREADABLE_CREDENTIALS_TEST_UNSET = 'x';
    fs.writeFileSync(path.join(dir, 'nope.txt'), 'y');
    try {
      expect(unreadableCredentials(cfg.feeds, dir)).toEqual([]);
    } finally {
      delete process.env.UNREADABLE_CREDENTIALS_TEST_UNSET;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
