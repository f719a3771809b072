import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Docker Compose, for one test: `config -q` validates docker-compose.yml with Compose's own parser, without a Docker
 * daemon. Pinned; built from the Go module proxy once (its go.mod has exclude directives, so `go install pkg@version`
 * refuses it: the module is built as the main module) and cached under `.tools/compose/`.
 */
export const COMPOSE_MODULE = 'github.com/docker/compose/v5';
export const COMPOSE_VERSION = 'v5.6.0';

export interface LocatedCompose {
  /** The command and the arguments before Compose's own (`docker compose` or a standalone binary). */
  command: string[];
  source: 'env' | 'docker' | 'cache' | 'go';
}

function cachedCompose(projectRoot: string): string {
  return path.join(projectRoot, '.tools', 'compose', 'docker-compose');
}

function works(command: string[]): boolean {
  const [bin, ...args] = command;
  return spawnSync(bin!, [...args, 'version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/**
 * Finds Compose: $DOCKER_COMPOSE (a standalone binary), the Docker CLI's `compose` plugin, the project's cache; else
 * (with `install`) builds the pinned version with Go into the cache. Throws with what was tried and what is needed.
 */
export function locateCompose(opts: { projectRoot: string; install?: boolean; log?: (line: string) => void }): LocatedCompose {
  const log = opts.log ?? (() => undefined);
  const fromEnv = process.env.DOCKER_COMPOSE;
  if (fromEnv && works([fromEnv])) return { command: [fromEnv], source: 'env' };
  if (works(['docker', 'compose'])) return { command: ['docker', 'compose'], source: 'docker' };
  const cached = cachedCompose(opts.projectRoot);
  if (fs.existsSync(cached) && works([cached])) return { command: [cached], source: 'cache' };
  if (opts.install === false) throw new Error('Docker Compose not found; run "npm run setup" (it builds it with Go) or set DOCKER_COMPOSE to a docker-compose binary');
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`Docker Compose needs Go to build: install Go and run "npm run setup" again, or set DOCKER_COMPOSE to a docker-compose ${COMPOSE_VERSION} binary`);
  }
  log(`building Docker Compose ${COMPOSE_VERSION} with Go (to validate docker-compose.yml in the tests; takes a minute or more once)`);
  const download = spawnSync('go', ['mod', 'download', '-json', `${COMPOSE_MODULE}@${COMPOSE_VERSION}`], { encoding: 'utf8' });
  const dir = download.status === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new Error(`go mod download of ${COMPOSE_MODULE}@${COMPOSE_VERSION} failed: ${download.stderr.trim()}`);
  // The module cache is read-only; a writable copy lets go record the checksums it fetches.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-build-'));
  try {
    fs.cpSync(dir, work, { recursive: true });
    spawnSync('chmod', ['-R', 'u+w', work]);
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const r = spawnSync('go', ['build', '-o', cached, './cmd'], { cwd: work, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 || !works([cached])) throw new Error(`go build of Docker Compose ${COMPOSE_VERSION} failed (exit ${r.status ?? r.signal})`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { command: [cached], source: 'go' };
}
