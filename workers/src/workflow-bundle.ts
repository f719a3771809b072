import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ENCODED_FAILURE_CONVERTER_PATH } from '@entra-ingest/codec';

/**
 * The workflow code bundled at build time. Bundling with webpack at start-up took seconds and left ~70 MB of
 * webpack's state in every worker (measured, docs/performance.md); a worker now loads the bundle the build wrote,
 * when it was built from exactly the workflow code (and failure converter) this worker would bundle.
 */
export const WORKFLOW_BUNDLE_DIR = path.join(__dirname, '..', 'workflow-bundle');

/** plain: no data converter in workflows; encoded-failures: temporal.encryption's failure converter bundled in. */
export type BundleVariant = 'plain' | 'encoded-failures';

const workflowsPath = (): string => require.resolve('@entra-ingest/workflows');
const converterPath = (variant: BundleVariant): string | undefined => (variant === 'encoded-failures' ? ENCODED_FAILURE_CONVERTER_PATH : undefined);
const bundleFile = (variant: BundleVariant, dir: string): string => path.join(dir, `${variant}.js`);
const digestFile = (variant: BundleVariant, dir: string): string => path.join(dir, `${variant}.digest`);

/** What the bundle is made of: every .js file beside the workflows (and converter) entry, and the SDK's version. */
export function workflowBundleDigest(variant: BundleVariant): string {
  const h = crypto.createHash('sha256');
  // The bundle also holds @temporalio/workflow, released in lockstep with @temporalio/worker.
  h.update(`${variant}\0@temporalio/worker ${(require('@temporalio/worker/package.json') as { version: string }).version}\0`);
  const entries = [workflowsPath(), converterPath(variant)].filter((p): p is string => p !== undefined);
  for (const entry of entries) {
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.[cm]?[jt]s$/.test(e.name) && !e.name.endsWith('.d.ts')) h.update(`${path.relative(dir, p)}\0`).update(fs.readFileSync(p)).update('\0');
      }
    };
    walk(path.dirname(entry));
  }
  return h.digest('hex');
}

/** Bundles the workflow code into `dir` unless what is there was built from the same code. Returns whether it wrote. */
export async function writeWorkflowBundle(variant: BundleVariant, dir = WORKFLOW_BUNDLE_DIR): Promise<boolean> {
  const digest = workflowBundleDigest(variant);
  if (readDigest(variant, dir) === digest) return false;
  const failureConverterPath = converterPath(variant);
  // webpack's report only when something is wrong (the build prints one line per bundle).
  const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quiet, ...(failureConverterPath ? { failureConverterPath } : {}) });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(bundleFile(variant, dir), code);
  fs.writeFileSync(digestFile(variant, dir), digest);
  return true;
}

function readDigest(variant: BundleVariant, dir: string): string | undefined {
  try {
    return fs.readFileSync(digestFile(variant, dir), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Worker.create's workflow options: the build's bundle when it matches the code in use, else the workflows path (the
 * SDK bundles at start, as before: a tree not built yet, or workflow code changed since the build).
 */
export function workflowCodeOptions(failureConverterPath: string | undefined, dir = WORKFLOW_BUNDLE_DIR):
  { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const variant: BundleVariant | undefined = failureConverterPath === undefined ? 'plain' : failureConverterPath === ENCODED_FAILURE_CONVERTER_PATH ? 'encoded-failures' : undefined;
  if (variant && readDigest(variant, dir) === workflowBundleDigest(variant)) return { workflowBundle: { codePath: bundleFile(variant, dir) } };
  return { workflowsPath: workflowsPath() };
}
