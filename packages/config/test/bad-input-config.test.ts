import { ConfigError, parseConfig, parseConfigText } from '../src';

// The bad-input corpus, config part: a valid config with one field wrong at a time. Each is refused before anything
// runs, with a ConfigError whose problem names the field (and the feed) and says what is wrong.

const feed = (): Record<string, unknown> => ({
  id: 'contoso',
  tenantId: '11111111-1111-1111-1111-111111111111',
  clientId: '22222222-2222-2222-2222-222222222222',
  credential: { clientSecret: { file: 'secret.txt' } },
  cloud: 'custom', loginUrl: 'https://login.example', graphUrl: 'https://graph.example',
  sources: { directoryAudits: { enabled: true }, signIns: { enabled: true }, users: { enabled: true } },
  window: '5m', every: '5m', lag: '3m', sweeps: ['30m'], initialLookback: '1h', maxWindowsPerRun: 48, usersEvery: '1h', retentionDays: 30,
  rateLimit: { requests: 5, per: '10s' },
  sinks: [{ type: 'file', id: 'file', root: 'ocsf' }, { type: 'http', id: 'siem', url: 'https://siem.example/ingest' }],
  credentialExpiry: { reminderDays: [30, 7], notifiers: [{ type: 'log' }] },
});
const valid = (): Record<string, unknown> => ({ temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'q' }, dataDir: 'data', feeds: [feed()] });

/** A copy of the valid config with the value at `path` replaced (or removed when `value` is undefined). */
function withField(path: (string | number)[], value: unknown): Record<string, unknown> {
  const cfg = valid();
  let node = cfg as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return cfg;
}

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw, 'feeds.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^feeds\.yaml is not valid/);
    return (err as ConfigError).problems;
  }
  throw new Error('the config was accepted');
}

test('the base config is valid (so each case below fails for its one field)', () => {
  expect(parseConfig(valid()).feeds[0]!.id).toBe('contoso');
});

const F = ['feeds', 0];
const cases: [string, (string | number)[], unknown, RegExp][] = [
  ['temporal.address a number', ['temporal', 'address'], 7233, /^temporal\.address: /],
  ['temporal with an unknown key', ['temporal', 'adress'], 'x', /^temporal: .*adress/i],
  ['dataDir an object', ['dataDir'], { path: 'x' }, /^dataDir: /],
  ['validateEvents a string', ['validateEvents'], 'yes', /^validateEvents: /],
  ['metrics.port out of range', ['metrics'], { port: 70000 }, /^metrics\.port: /],
  ['feeds empty', ['feeds'], [], /^feeds: needs at least one feed/],
  ['feed id with a path separator', [...F, 'id'], '../../etc', /^feeds\[0\]( \(feed "\.\.\/\.\.\/etc"\))?\.id: must be lower-case letters/],
  ['feed id with a slash', [...F, 'id'], 'a/b', /\.id: must be lower-case letters/],
  ['feed id starting with a dot', [...F, 'id'], '.hidden', /\.id: must be lower-case letters/],
  ['feed id with a NUL', [...F, 'id'], 'a\u0000b', /\.id: must be lower-case letters/],
  ['feed id with a backslash', [...F, 'id'], 'a\\b', /\.id: must be lower-case letters/],
  ['feed id too long', [...F, 'id'], 'a'.repeat(64), /\.id: must be lower-case letters/],
  ['tenantId empty', [...F, 'tenantId'], '', /\.tenantId: /],
  ['clientId missing', [...F, 'clientId'], undefined, /\.clientId: /],
  ['credential with an inline secret', [...F, 'credential'], { clientSecret: 'hunter2' }, /\.credential/],
  ['credential with a bad env name', [...F, 'credential'], { clientSecret: { env: 'NOT-A-NAME' } }, /\.credential/],
  ['certificate without its private key', [...F, 'credential'], { certificate: { file: 'c.pem' } }, /\.credential/],
  ['cloud unknown', [...F, 'cloud'], 'mars', /\.cloud: /],
  ['custom cloud without URLs', [...F, 'loginUrl'], undefined, /\.cloud: cloud "custom" needs loginUrl and graphUrl/],
  ['graphUrl not http(s)', [...F, 'graphUrl'], 'file:///etc/passwd', /\.graphUrl: must be an http\(s\) URL/],
  ['loginUrl not a URL', [...F, 'loginUrl'], 'login', /\.loginUrl: must be a URL/],
  ['sources with an unknown source', [...F, 'sources'], { directoryAudits: {}, riskyGroups: {} }, /\.sources: .*riskyGroups/i],
  ['source enabled as a string', [...F, 'sources'], { directoryAudits: { enabled: 'yes' } }, /\.sources\.directoryAudits\.enabled: /],
  ['window not a duration', [...F, 'window'], 'soon', /\.window: must be a duration like 5m, got "soon"/],
  ['window too small', [...F, 'window'], '10ms', /\.window: must be at least 1s/],
  ['every a number', [...F, 'every'], 300, /\.every: /],
  ['lag with a bad unit', [...F, 'lag'], '3 minutes', /\.lag: must be a duration/],
  ['sweeps not a list', [...F, 'sweeps'], '30m', /\.sweeps: /],
  ['a sweep not a duration', [...F, 'sweeps'], ['30m', 'later'], /\.sweeps\[1\]: must be a duration/],
  ['maxWindowsPerRun zero', [...F, 'maxWindowsPerRun'], 0, /\.maxWindowsPerRun: /],
  ['retentionDays 90', [...F, 'retentionDays'], 90, /\.retentionDays: /],
  ['rateLimit requests 0', [...F, 'rateLimit'], { requests: 0, per: '10s' }, /\.rateLimit\.requests: /],
  ['sinks empty', [...F, 'sinks'], [], /\.sinks: needs at least one sink/],
  ['sink of unknown type', [...F, 'sinks'], [{ type: 'ftp', id: 'x' }], /\.sinks\[0\]/],
  ['two sinks with one id', [...F, 'sinks'], [{ type: 'file', id: 'same' }, { type: 'file', id: 'same' }], /\.sinks: sink id "same" is used twice/],
  ['http sink without URL', [...F, 'sinks'], [{ type: 'http', id: 'siem' }], /\.sinks\[0\]\.url: /],
  ['http sink batchSize huge', [...F, 'sinks'], [{ type: 'http', id: 'siem', url: 'https://s.example', batchSize: 10_000_000 }], /\.sinks\[0\]\.batchSize: /],
  ['http sink header secret inline object', [...F, 'sinks'], [{ type: 'http', id: 'siem', url: 'https://s.example', headers: { authorization: { secret: 'inline' } } }], /\.sinks\[0\]\.headers/],
  ['file sink with an unknown key', [...F, 'sinks'], [{ type: 'file', id: 'f', path: '/' }], /\.sinks\[0\]: .*path/i],
  ['reminderDays negative', [...F, 'credentialExpiry', 'reminderDays'], [-1], /\.credentialExpiry\.reminderDays\[0\]: /],
  ['expiresAt not a date-time', [...F, 'credentialExpiry', 'expiresAt'], 'next year', /\.credentialExpiry\.expiresAt: /],
  ['notifier webhook without URL', [...F, 'credentialExpiry', 'notifiers'], [{ type: 'webhook' }], /\.credentialExpiry\.notifiers\[0\]/],
  ['notifier webhook URL inline', [...F, 'credentialExpiry', 'notifiers'], [{ type: 'webhook', url: 'https://hooks.slack.com/services/T0/B0/x' }], /\.credentialExpiry\.notifiers\[0\]\.url: a webhook URL must be a secret reference/],
  ['http sink header value inline', [...F, 'sinks'], [{ type: 'http', id: 'siem', url: 'https://s.example', headers: { Authorization: 'Splunk 1234' } }], /\.sinks\[0\]\.headers\.Authorization: a header value must be a secret reference/],
  ['http sink over plain http to a remote host', [...F, 'sinks'], [{ type: 'http', id: 'siem', url: 'http://siem.example/ingest' }], /\.sinks\[0\]\.url: must be an https URL/],
  ['graph URL over plain http to a remote host', [...F, 'graphUrl'], 'http://graph.example', /\.graphUrl: must be an https URL/],
  ['an unknown feed key (typo)', [...F, 'windows'], '5m', /^feeds\[0\] \(feed "contoso"\): .*windows/i],
];

describe('one field wrong at a time → ConfigError naming it', () => {
  it.each(cases)('%s', (_name, path, value, expected) => {
    const found = problemsOf(withField(path, value));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe('config text that is not a config', () => {
  it.each([
    ['not YAML at all', 'feeds: [unclosed', /cannot be parsed/],
    ['a duplicate key', 'dataDir: a\ndataDir: b\nfeeds: []\n', /cannot be parsed/],
    ['a list at the top', '- a\n- b\n', /is not valid/],
    ['empty text', '', /is not valid/],
  ])('%s', (_name, text, expected) => {
    expect(() => parseConfigText(text as string, 'feeds.yaml')).toThrow(ConfigError);
    expect(() => parseConfigText(text as string, 'feeds.yaml')).toThrow(expected as RegExp);
  });
});
