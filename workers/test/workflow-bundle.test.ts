import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workflowCodeOptions } from '../src/workflow-bundle';

// The build bundles the workflow code once; a worker uses that bundle only when it was built from the code it would
// bundle itself, and otherwise bundles at start as before.

const BUILT = path.join(__dirname, '..', 'dist', 'workflow-bundle.js');
const SCRATCH = path.join(__dirname, '..', '.test-tmp', `workflow-bundle-${process.pid}`);
afterAll(() => fs.rmSync(SCRATCH, { recursive: true, force: true }));

/** workflowCodeOptions as the built worker (dist, outside jest's module mapping) answers it. */
function builtAnswer(failureConverterPath: string | undefined, dir?: string): Record<string, unknown> {
  const script = `const b = require(${JSON.stringify(BUILT)}); process.stdout.write(JSON.stringify(b.workflowCodeOptions(${JSON.stringify(failureConverterPath)}, ${dir ? JSON.stringify(dir) : 'undefined'})))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Record<string, unknown>;
}

it('the built worker loads the bundle the build wrote, for both variants', () => {
  expect(builtAnswer(undefined)).toEqual({ workflowBundle: { codePath: expect.stringMatching(/workflow-bundle[\\/]plain\.js$/) } });
  const converter = (require(path.join(__dirname, '../../packages/codec/dist/config.js')) as { ENCODED_FAILURE_CONVERTER_PATH: string }).ENCODED_FAILURE_CONVERTER_PATH;
  expect(builtAnswer(converter)).toEqual({ workflowBundle: { codePath: expect.stringMatching(/encoded-failures\.js$/) } });
});

it('a bundle built from other code is not used: the worker bundles at start', () => {
  // Control for the test above: the same bundle with the digest of some other code.
  const real = path.join(__dirname, '..', 'workflow-bundle');
  fs.mkdirSync(SCRATCH, { recursive: true });
  fs.copyFileSync(path.join(real, 'plain.js'), path.join(SCRATCH, 'plain.js'));
  fs.writeFileSync(path.join(SCRATCH, 'plain.digest'), '0'.repeat(64));
  expect(builtAnswer(undefined, SCRATCH)).toEqual({ workflowsPath: expect.stringMatching(/workflows[\\/]dist[\\/]index\.js$/) });
});

it('a failure converter the build did not bundle means bundling at start', () => {
  expect(workflowCodeOptions('/elsewhere/converter.js')).toEqual({ workflowsPath: expect.any(String) });
});
