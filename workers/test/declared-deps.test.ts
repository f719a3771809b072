// Every runtime import of every workspace package is a declared dependency of that package (else the production
// image, built with `pnpm deploy --prod`, fails with "Cannot find module"). The control cases prove the check finds
// an undeclared import and ignores what must be ignored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { undeclaredImports, workspacePackages, packageOf } = require('../../scripts/declared-deps.js') as {
  undeclaredImports(dir: string): { package: string; module: string; file: string }[];
  workspacePackages(root: string): string[];
  packageOf(specifier: string): string | undefined;
};

const root = path.resolve(__dirname, '../..');

function fakePackage(files: Record<string, string>, dependencies: Record<string, string> = {}, devDependencies: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'declared-deps-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: '@fake/pkg', dependencies, devDependencies }));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

test('every workspace package declares what its compiled code loads', () => {
  const packages = workspacePackages(root);
  expect(packages.map((p) => path.relative(root, p))).toEqual(expect.arrayContaining(['packages/cli', 'workers', 'workflows', 'bench']));
  for (const dir of packages) {
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(true); // built (npm test builds first; else run `pnpm -s build`)
  }
  expect(packages.flatMap((dir) => undeclaredImports(dir))).toEqual([]);
});

test('control: an undeclared or dev-only import is reported with its file and line', () => {
  const dir = fakePackage({
    'src/a.ts': '', 'dist/a.js': 'const fs = require("node:fs");\nconst yaml_1 = require("yaml");\nconst x = require("undici/lib/x");\n',
    'src/b.ts': '', 'dist/b.js': 'Promise.resolve().then(() => __importStar(require("@scope/lib/sub")));\nrequire.resolve("@scope/other");\n',
  }, { undici: '1' }, { yaml: '1' });
  expect(undeclaredImports(dir).map((p) => `${p.module} ${p.file}`).sort()).toEqual([
    '@scope/lib dist/b.js:1', '@scope/other dist/b.js:2', 'yaml dist/a.js:2',
  ]);
});

test('control: built-ins, relative paths, declared packages and leftovers of deleted sources are not reported', () => {
  const dir = fakePackage({
    'src/a.ts': '', 'dist/a.js': 'require("fs"); require("node:path"); require("./b"); require("yaml"); require("@fake/pkg/x");\n',
    'dist/deleted.js': 'require("left-over");\n',
  }, { yaml: '1' });
  expect(undeclaredImports(dir)).toEqual([]);
  expect([packageOf('@a/b/c'), packageOf('a/b'), packageOf('child_process'), packageOf('../x')]).toEqual(['@a/b', 'a', undefined, undefined]);
});
