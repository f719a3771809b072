// Checks the container deployment (docker-compose.yml, Dockerfile, .dockerignore, deploy/) without a
// Docker daemon: the files are parsed and cross-checked, the namespace setup script runs under `sh`
// against a stand-in `temporal` CLI, and `docker compose config` validates the file (Compose is built by
// `npm run setup` when the machine has none).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { parseConfigText } from '../../packages/config/src';
import { SEARCH_ATTRIBUTES } from '../../packages/dev-server/src/search-attributes';
import { locateCompose } from '../../packages/dev-server/src/compose';

const root = path.resolve(__dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

interface VolumeMount {
  type: string;
  source?: string;
  target: string;
  read_only?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  container_name?: string;
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  secrets?: (string | { source: string; target?: string })[];
  volumes?: (string | VolumeMount)[];
  ports?: unknown[];
  expose?: (string | number)[];
  entrypoint?: string | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  stop_grace_period?: string;
  stop_signal?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string; environment?: string }>;
  volumes?: Record<string, unknown>;
}

function parseYamlStrict<T>(rel: string): T {
  const doc = parseDocument(read(rel), { uniqueKeys: true });
  if (doc.errors.length) throw new Error(`${rel}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS() as T;
}

const compose = parseYamlStrict<ComposeFile>('docker-compose.yml');
const services = Object.entries(compose.services);

/** Resolves compose interpolation the way an empty environment would: `${X:-d}` → d, `$$` → `$`. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '')
    .replace(/\$\$/g, '$');
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const pairs: [string, string][] = Array.isArray(env)
    ? env.map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v)]));
}

function mountsOf(service: Service): VolumeMount[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return v;
    const [source, target, mode] = v.split(':');
    const isBind = source!.startsWith('.') || source!.startsWith('/');
    return { type: isBind ? 'bind' : 'volume', source, target: target!, read_only: mode === 'ro' };
  });
}

const dependenciesOf = (service: Service): Record<string, string> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, 'service_started']))
    : Object.fromEntries(Object.entries(service.depends_on ?? {}).map(([name, d]) => [name, d.condition ?? 'service_started']));

const secretNamesOf = (service: Service) => (service.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));
const repoPath = (composePath: string) => path.normalize(composePath).replace(/^\.\//, '');
const asList = (command: string | string[] | undefined) => (command === undefined ? [] : Array.isArray(command) ? command : [command]);

function workerService(): Service {
  const worker = compose.services.worker;
  if (!worker) throw new Error('docker-compose.yml has no "worker" service');
  return worker;
}

// Docker's parser has its own rules; this is enough for the JSON-form instructions the checks read.
function dockerfileInstructions(text: string): { keyword: string; args: string }[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('docker-compose.yml', () => {
  // Compose's own parser, without a daemon (npm run setup builds Compose when the machine has none).
  const composeConfig = (file: string): { status: number | null; stderr: string } => {
    const [bin, ...args] = locateCompose({ projectRoot: root, install: false }).command;
    const r = spawnSync(bin!, [...args, '--project-directory', root, '-f', file, 'config', '-q'], { encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stderr: r.stderr };
  };

  test('docker compose accepts the file', () => {
    expect(composeConfig(path.join(root, 'docker-compose.yml'))).toMatchObject({ status: 0 });
  });

  test('the control: docker compose refuses the file with a misspelt service key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
    try {
      const broken = path.join(dir, 'docker-compose.yml');
      fs.writeFileSync(broken, read('docker-compose.yml').replace(/^(\s+)depends_on:/m, '$1depends_onn:'));
      expect(fs.readFileSync(broken, 'utf8')).toContain('depends_onn:');
      const r = composeConfig(broken);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/depends_onn/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every image is pinned to an explicit version tag; services without one are built', () => {
    for (const [name, service] of services) {
      if (!service.image) {
        expect({ name, build: service.build }).toEqual({ name, build: expect.anything() });
        continue;
      }
      const match = /^(?<repo>[a-z0-9][a-z0-9._/-]*):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*)(@sha256:[a-f0-9]{64})?$/.exec(service.image);
      expect({ name, image: service.image, pinned: !!match }).toEqual({ name, image: service.image, pinned: true });
      const tag = match!.groups!.tag!;
      expect({ name, tag, versioned: /\d+\.\d+/.test(tag) && !/latest/i.test(tag) }).toEqual({ name, tag, versioned: true });
    }
  });

  test('the same Temporal release is used for the server and its admin tools (schema files ship with the tools)', () => {
    const tagsOf = (repo: string) => new Set(services.filter(([, s]) => s.image?.startsWith(`${repo}:`)).map(([, s]) => s.image!.split(':')[1]));
    const server = tagsOf('temporalio/server');
    expect(server.size).toBe(1);
    expect(tagsOf('temporalio/admin-tools')).toEqual(server);
  });

  test('the worker is built here, scalable, and gets its config read-only and its credentials as secrets', () => {
    const worker = workerService();
    expect(worker.build).toBeDefined();
    const build = typeof worker.build === 'string' ? { context: worker.build } : worker.build!;
    expect(fs.existsSync(path.join(root, build.context ?? '.', build.dockerfile ?? 'Dockerfile'))).toBe(true);
    // --scale needs generated container names and no fixed host port.
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
    const config = mountsOf(worker).find((m) => m.target === '/config/feeds.yaml');
    expect(config).toMatchObject({ type: 'bind', source: './deploy/feeds.yaml', read_only: true });
    expect(secretNamesOf(worker).length).toBeGreaterThan(0);
    // Nothing that looks like a credential is passed as a plain environment value.
    expect(Object.keys(environmentOf(worker)).filter((k) => /SECRET|PASSWORD|TOKEN|KEY/i.test(k))).toEqual([]);
    expect(mountsOf(worker).find((m) => m.target === '/data')).toMatchObject({ type: 'volume' });
    expect(worker.restart).toMatch(/^(always|unless-stopped|on-failure)/);
    expect(worker.stop_signal ?? 'SIGTERM').toBe('SIGTERM');
    expect(worker.stop_grace_period).toMatch(/^\d+(s|m)/);
  });

  test('the worker starts only once Temporal is healthy and the namespace is prepared', () => {
    const deps = dependenciesOf(workerService());
    expect(deps.temporal).toBe('service_healthy');
    const setup = services.find(([, s]) => 'ENTRA_SEARCH_ATTRIBUTES' in environmentOf(s))!;
    expect(deps[setup[0]]).toBe('service_completed_successfully');
  });

  test('dependencies name defined services, wait on healthchecks that exist, and on jobs that end', () => {
    for (const [name, service] of services) {
      for (const [dep, condition] of Object.entries(dependenciesOf(service))) {
        const target = compose.services[dep];
        expect({ name, dep, defined: !!target }).toEqual({ name, dep, defined: true });
        if (condition === 'service_healthy') {
          expect({ name, dep, healthcheck: !!target!.healthcheck && !target!.healthcheck.disable }).toEqual({ name, dep, healthcheck: true });
        }
        if (condition === 'service_completed_successfully') {
          // A one-shot job restarted "always" would never complete.
          expect({ dep, restart: target!.restart ?? 'no' }).toEqual({ dep, restart: expect.stringMatching(/^(no|on-failure(:\d+)?)$/) });
        }
      }
    }
  });

  test('every secret and named volume used is declared, and secret files are kept out of the image build', () => {
    const declaredSecrets = compose.secrets ?? {};
    const declaredVolumes = Object.keys(compose.volumes ?? {});
    const dockerignore = read('.dockerignore')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => repoPath(l).replace(/\/$/, ''));
    const ignored = (rel: string) => dockerignore.some((p) => rel === p || rel.startsWith(`${p}/`));
    for (const [name, service] of services) {
      for (const secret of secretNamesOf(service)) {
        expect({ name, secret, declared: secret in declaredSecrets }).toEqual({ name, secret, declared: true });
      }
      // Anonymous volumes (no source) are per container and need no declaration.
      for (const mount of mountsOf(service).filter((m) => m.type === 'volume' && m.source !== undefined)) {
        expect({ name, volume: mount.source, declared: declaredVolumes.includes(mount.source!) }).toEqual({ name, volume: mount.source, declared: true });
      }
    }
    for (const [secret, spec] of Object.entries(declaredSecrets)) {
      expect({ secret, file: spec.file }).toEqual({ secret, file: expect.stringMatching(/^\.\/deploy\/secrets\//) });
      expect({ secret, ignoredByDocker: ignored(repoPath(spec.file!)) }).toEqual({ secret, ignoredByDocker: true });
    }
    expect(ignored('deploy/feeds.yaml')).toBe(true);
    expect(read('deploy/.gitignore')).toMatch(/^\/?secrets\/?$/m);
    expect(read('deploy/.gitignore')).toMatch(/^\/?feeds\.yaml$/m);
  });

  test('bind-mounted files exist in the repository (the feed config through its example)', () => {
    for (const [name, service] of services) {
      for (const mount of mountsOf(service).filter((m) => m.type === 'bind')) {
        const source = repoPath(mount.source!);
        const expected = source === 'deploy/feeds.yaml' ? 'deploy/feeds.example.yaml' : source;
        expect({ name, source: expected, exists: fs.existsSync(path.join(root, expected)) }).toEqual({ name, source: expected, exists: true });
        // A script a service runs from a mounted folder must be in that folder.
        for (const arg of asList(service.entrypoint)) {
          if (arg.startsWith(`${mount.target}/`)) {
            const script = path.join(root, source, arg.slice(mount.target.length));
            expect({ name, script, exists: fs.existsSync(script) }).toEqual({ name, script, exists: true });
          }
        }
      }
    }
  });

  test('the search attributes registered are exactly those the workflows use', () => {
    const jobs = services.filter(([, s]) => 'ENTRA_SEARCH_ATTRIBUTES' in environmentOf(s));
    expect(jobs).toHaveLength(1);
    const pairs = environmentOf(jobs[0]![1]).ENTRA_SEARCH_ATTRIBUTES!.trim().split(/\s+/);
    const registered = Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]));
    expect(pairs).toHaveLength(Object.keys(registered).length); // no name twice
    expect(registered).toEqual(SEARCH_ATTRIBUTES);
    expect(asList(jobs[0]![1].entrypoint).join(' ')).toMatch(/setup-namespace\.sh/);
  });
});

describe('deploy/temporal/setup-namespace.sh', () => {
  const script = path.join(root, 'deploy/temporal/setup-namespace.sh');
  const job = services.find(([, s]) => 'ENTRA_SEARCH_ATTRIBUTES' in environmentOf(s))![1];
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entra-compose-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    // Stands in for the admin-tools `temporal` CLI: records each call; health fails STUB_HEALTH_FAILS
    // times before it succeeds; `namespace describe` succeeds only if STUB_NAMESPACE_EXISTS=yes.
    fs.writeFileSync(
      path.join(dir, 'bin/temporal'),
      [
        '#!/bin/sh',
        'printf "%s\\n" "$*" >> "$STUB_DIR/calls"',
        'case "$1 $2 $3" in',
        '  "operator cluster health")',
        '    n=$(cat "$STUB_DIR/health" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$STUB_DIR/health"',
        '    [ "$n" -gt "${STUB_HEALTH_FAILS:-0}" ] ;;',
        '  "operator namespace describe") [ "${STUB_NAMESPACE_EXISTS:-no}" = yes ] ;;',
        '  *) exit 0 ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runSetup(extra: Record<string, string> = {}) {
    const result = spawnSync('sh', [script], {
      encoding: 'utf8',
      timeout: 20_000,
      env: {
        PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
        STUB_DIR: dir,
        SETUP_DELAY_SECONDS: '0',
        ...environmentOf(job),
        ...extra,
      },
    });
    const callsFile = path.join(dir, 'calls');
    const calls = fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n') : [];
    return { ...result, calls };
  }

  const flag = (call: string, name: string) => {
    const words = call.split(' ');
    const at = words.indexOf(`--${name}`);
    return at < 0 ? undefined : words[at + 1];
  };

  test('waits for health, creates the namespace, then registers every search attribute in it', () => {
    const run = runSetup({ STUB_HEALTH_FAILS: '2' });
    expect(run.stderr).toMatch(/not yet \(1\/60\): Temporal at temporal:7233 is healthy/);
    expect(run.status).toBe(0);
    const kinds = run.calls.map((c) => c.split(' ').slice(0, 3).join(' '));
    expect(kinds.slice(0, 5)).toEqual([
      'operator cluster health',
      'operator cluster health',
      'operator cluster health',
      'operator namespace describe',
      'operator namespace create',
    ]);
    const create = run.calls[4]!;
    expect([flag(create, 'namespace'), flag(create, 'retention'), flag(create, 'address')]).toEqual(['default', '7d', 'temporal:7233']);
    const registrations = run.calls.filter((c) => c.startsWith('operator search-attribute create'));
    expect(registrations.every((c) => flag(c, 'namespace') === 'default' && flag(c, 'address') === 'temporal:7233')).toBe(true);
    expect(Object.fromEntries(registrations.map((c) => [flag(c, 'name'), flag(c, 'type')]))).toEqual(SEARCH_ATTRIBUTES);
    expect(registrations).toHaveLength(Object.keys(SEARCH_ATTRIBUTES).length);
  });

  test('keeps an existing namespace and prepares the one named in TEMPORAL_NAMESPACE', () => {
    const run = runSetup({ STUB_NAMESPACE_EXISTS: 'yes', TEMPORAL_NAMESPACE: 'entra-prod' });
    expect(run.status).toBe(0);
    expect(run.calls.some((c) => c.startsWith('operator namespace create'))).toBe(false);
    const registrations = run.calls.filter((c) => c.startsWith('operator search-attribute create'));
    expect(new Set(registrations.map((c) => flag(c, 'namespace')))).toEqual(new Set(['entra-prod']));
  });

  test('gives up with a clear message when the server never becomes healthy', () => {
    const run = runSetup({ STUB_HEALTH_FAILS: '1000', SETUP_ATTEMPTS: '3' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/gave up after 3 attempts: Temporal at temporal:7233 is healthy/);
    expect(run.calls).toHaveLength(3);
  });

  test('refuses a malformed attribute list before touching the server', () => {
    const run = runSetup({ ENTRA_SEARCH_ATTRIBUTES: 'EntraFeed=Keyword EntraStatus' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/"EntraStatus" is not Name=Type/);
    expect(run.calls).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions(read('Dockerfile'));
  const stages = instructions.filter((i) => i.keyword === 'FROM');
  const finalStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]!));
  const argDefaults = Object.fromEntries(
    instructions.filter((i) => i.keyword === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=', 2) as [string, string]),
  );

  test('builds in one stage and runs from a slim, pinned Node 24 (the current LTS) image in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const image = stage.args.split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => argDefaults[name] ?? '');
      expect(image).toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim(@sha256:[a-f0-9]{64})?$/);
    }
  });

  test('runs the CLI as a non-root user with the worker command and the mounted config', () => {
    const user = finalStage.filter((i) => i.keyword === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
    const entrypoint = JSON.parse(finalStage.filter((i) => i.keyword === 'ENTRYPOINT').pop()!.args) as string[];
    expect(entrypoint.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    for (const bin of entrypoint[2]!.match(/packages\/cli\/bin\/[\w-]+\.js/g) ?? []) expect(fs.existsSync(path.join(root, bin))).toBe(true);
    // Run the entry point with a stand-in `node` that prints how it was called (and a heap cap of 192 when asked).
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'entry-'));
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\nif [ "$1" = packages/cli/bin/heap-cap.js ]; then echo 192; else echo "node $*"; fi\n', { mode: 0o755 });
    const run = (env: Record<string, string>): string =>
      spawnSync('/bin/sh', [...entrypoint.slice(1), 'worker', '--config', '/config/feeds.yaml'], { cwd: root, env: { PATH: `${bin}:${process.env.PATH}`, ...env }, encoding: 'utf8' }).stdout.trim();
    try {
      expect(run({})).toBe('node --max-old-space-size=192 packages/cli/bin/entra-ingest.js worker --config /config/feeds.yaml');
      // A cap of one's own in NODE_OPTIONS wins: the entry point adds none.
      expect(run({ NODE_OPTIONS: '--max-old-space-size=700' })).toBe('node packages/cli/bin/entra-ingest.js worker --config /config/feeds.yaml');
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
    const cmd = JSON.parse(finalStage.filter((i) => i.keyword === 'CMD').pop()!.args) as string[];
    expect(cmd[0]).toBe('worker');
    // The config the image reads by default is the one compose mounts read-only.
    const configMount = mountsOf(workerService()).find((m) => m.read_only && m.source === './deploy/feeds.yaml');
    expect(cmd[cmd.indexOf('--config') + 1]).toBe(configMount?.target);
  });
});

describe('deploy/feeds.example.yaml', () => {
  const text = read('deploy/feeds.example.yaml');
  const config = parseConfigText(text, 'deploy/feeds.example.yaml');

  function fileSecretRefs(node: unknown): string[] {
    if (Array.isArray(node)) return node.flatMap(fileSecretRefs);
    if (node && typeof node === 'object') {
      const entries = Object.entries(node);
      if (entries.length === 1 && entries[0]![0] === 'file' && typeof entries[0]![1] === 'string') return [entries[0]![1]];
      return entries.flatMap(([, v]) => fileSecretRefs(v));
    }
    return [];
  }

  test('is a valid entra-ingest config', () => {
    expect(config.feeds.length).toBeGreaterThan(0);
  });

  test('reads every secret from a compose secret the worker mounts', () => {
    const refs = fileSecretRefs(config.feeds);
    expect(refs.length).toBeGreaterThan(0);
    const mounted = secretNamesOf(workerService());
    for (const ref of refs) {
      const name = /^\/run\/secrets\/([^/]+)$/.exec(ref)?.[1];
      expect({ ref, mounted: !!name && mounted.includes(name) }).toEqual({ ref, mounted: true });
    }
  });

  test('keeps its data in the worker volume and serves metrics where the healthcheck looks', () => {
    expect(mountsOf(workerService()).find((m) => m.target === config.dataDir)).toMatchObject({ type: 'volume' });
    const port = config.metrics?.port;
    expect(port).toBeDefined();
    expect((workerService().expose ?? []).map(String)).toContain(String(port));
    expect(asList(workerService().healthcheck?.test).join(' ')).toContain(`:${port}/metrics`);
  });
});

describe('workers that share nothing but Temporal and S3', () => {
  const config = parseConfigText(read('deploy/feeds.example.yaml'), 'deploy/feeds.example.yaml');

  test('no worker mount is shared between replicas: no named volume, no writable bind', () => {
    for (const m of mountsOf(workerService())) {
      expect({ target: m.target, shared: (m.type === 'volume' && m.source !== undefined) || (m.type === 'bind' && !m.read_only) }).toEqual({ target: m.target, shared: false });
    }
  });

  test('the example config keeps claim checks in the compose S3 service, with keys from mounted secrets', () => {
    expect(config.store).toMatchObject({ type: 's3', endpoint: 'http://s3:7070', forcePathStyle: true });
    const s3 = compose.services.s3!;
    expect(s3.image).toMatch(/^versity\/versitygw:v\d+\.\d+\.\d+$/);
    expect((s3.expose ?? []).map(String)).toContain(new URL((config.store as { endpoint: string }).endpoint).port);
    expect(dependenciesOf(workerService())).toHaveProperty('s3');
    for (const secret of ['s3_access_key', 's3_secret_key']) {
      expect(secretNamesOf(s3)).toContain(secret);
      expect(secretNamesOf(workerService())).toContain(secret);
    }
  });
});
