// Control for the lint step of `npm test` (eslint.config.mjs): the rules it relies on really fire, type-aware, on
// files that break them (tests/lint-fixtures/), so a config change that silently disables one fails here. ESLint runs
// as `pnpm lint` does, in a child process (its config is an ES module, which jest's module system cannot load).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

test('the lint config finds a floating promise, a misused promise and an import cycle', () => {
  const eslint = path.join(root, 'node_modules/eslint/bin/eslint.js');
  const r = spawnSync(process.execPath, [eslint, '--no-ignore', '--format', 'json', 'tests/lint-fixtures/floating.ts', 'tests/lint-fixtures/cycle-b.ts'], { cwd: root, encoding: 'utf8' });
  expect(r.status).toBe(1); // 1: problems found (2 would be a broken config)
  const results = JSON.parse(r.stdout) as { filePath: string; messages: { line: number; ruleId: string | null; message: string }[] }[];
  const found = results.flatMap((f) => f.messages.map((m) => `${path.basename(f.filePath)}:${m.line} ${m.ruleId ?? m.message}`)).sort();
  expect(found).toEqual([
    'cycle-b.ts:2 import-x/no-cycle',
    'floating.ts:2 import-x/no-cycle',
    'floating.ts:9 @typescript-eslint/no-floating-promises',
    'floating.ts:13 @typescript-eslint/no-misused-promises',
  ].sort());
}, 240_000);
