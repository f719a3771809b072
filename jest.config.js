// Unit tests: pure logic, fast. Integration tests (*.int.test.ts): a real Temporal dev server (one per
// run, started by the global setup), real workers, the Graph simulator over loopback, real files.
const path = require('node:path');

// Tests import workspace packages from their sources: the same mapping the test type-check uses (tsconfig.tests.json).
const { compilerOptions } = require('./tsconfig.tests.json');
const workspaceModules = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [`^${name.replace('*', '([^/]+)')}$`, `<rootDir>/${target.replace('*', '$1')}`]),
);

const ESM_ONLY_NAMES = '(hyparquet|hyparquet-writer)[@/]';
const ESM_ONLY = `/node_modules/.*${ESM_ONLY_NAMES}`;

const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // ES-module-only dependencies (the Parquet writer): compiled to CommonJS, as Node >= 20.19 loads them natively.
    [`${ESM_ONLY}.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/)?${ESM_ONLY_NAMES})`],
  moduleNameMapper: workspaceModules,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  // Integration tests mostly wait (on Graph's rate limit, sweeps, timers): three at a time fit two cores.
  maxWorkers: 3,
  projects: [
    {
      ...common,
      displayName: 'unit',
      setupFilesAfterEnv: ['<rootDir>/tests/setup/unit-timeout.ts'],
      testMatch: ['<rootDir>/{packages/*,workflows,workers}/test/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages/*,workflows,workers,tests}/**/*.int.test.ts'],
      globalSetup: '<rootDir>/tests/setup/global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/setup/integration-timeout.ts'],
    },
  ],
  reporters: ['default', path.join(__dirname, 'tests/setup/summary-reporter.js')],
};
