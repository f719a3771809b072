import fs from 'node:fs';
import path from 'node:path';
import { locateTemporalCli, startDevServer } from '../../packages/dev-server/src';

// One real Temporal dev server for the whole integration run; tests isolate themselves by task queue.
export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  if (process.env.TEMPORAL_TEST_ADDRESS) return; // an already running server was given
  const cli = locateTemporalCli({ projectRoot: root, install: false });
  const dir = path.join(root, '.test-tmp');
  fs.mkdirSync(dir, { recursive: true });
  const server = await startDevServer({ cliPath: cli.path, headless: true, logFile: path.join(dir, 'temporal-test-server.log') });
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.TEMPORAL_CLI = cli.path;
  (globalThis as { __temporalServer?: typeof server }).__temporalServer = server;
}
