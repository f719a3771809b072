// Lint for the mistakes the compiler lets through: a promise nobody awaits (an activity or a sink write that fails
// unseen, a worker that exits before its work is done), a promise passed where a callback's result is ignored, and
// import cycles between modules. Type-aware: every file belongs to a tsconfig (sources to their package's, tests to
// tsconfig.tests.json).
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const projects = ['packages/*/tsconfig.json', 'workflows/tsconfig.json', 'workers/tsconfig.json', 'bench/tsconfig.json', 'tsconfig.tests.json'];

export default tseslint.config(
  // tests/lint-fixtures break the rules on purpose: the lint control test lints them with ignores off.
  { ignores: ['tests/lint-fixtures/**', '**/dist/**', '**/node_modules/**', '.tools/**', '.data/**', '.test-tmp/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: projects, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      // Imported files are parsed as TypeScript too, or the cycle check silently sees no imports in them.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: projects, noWarnOnMultipleProjects: true })],
    },
    // Some files disable rules of typescript-eslint's wider sets, which this config does not turn on.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
