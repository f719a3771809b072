import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What every figure depends on: the machine and the versions measured. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  platform: string;
  node: string;
  temporalCli: string;
  packages: Record<string, string>;
}

const PACKAGES = ['@temporalio/worker', '@temporalio/client', 'undici', 'ajv', '@azure/msal-node'];

function installedVersion(name: string, from: string): string {
  try {
    // The package.json beside the resolved entry point: exports maps may hide ./package.json itself.
    let dir = path.dirname(require.resolve(name, { paths: [from] }));
    while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
      const up = path.dirname(dir);
      if (up === dir) return 'unknown';
      dir = up;
    }
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version as string;
  } catch {
    return 'not installed';
  }
}

export function describeMachine(projectRoot: string, temporalCliPath: string): MachineInfo {
  const cpus = os.cpus();
  let temporalCli = 'unknown';
  try {
    temporalCli = execFileSync(temporalCliPath, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  // Resolve from the packages that really use them (pnpm does not hoist).
  const from = [path.join(projectRoot, 'workers'), path.join(projectRoot, 'packages/graph'), path.join(projectRoot, 'packages/ocsf')];
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    packages[name] = from.map((f) => installedVersion(name, f)).find((v) => v !== 'not installed') ?? 'not installed';
  }
  packages['entra-ingest'] = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version as string;
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli,
    packages,
  };
}
