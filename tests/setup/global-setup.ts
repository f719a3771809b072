import fs from 'node:fs';
import path from 'node:path';
import { locateTemporalCli, locateVersitygw, startDevServer, startS3Server, type RunningS3Server } from '../../packages/dev-server/src';

// One real Temporal dev server and one real S3-compatible server (versitygw) for the whole integration run; tests
// isolate themselves by task queue and by bucket.
export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  const dir = path.join(root, '.test-tmp');
  fs.mkdirSync(dir, { recursive: true });
  await startS3(root, dir);
  if (process.env.TEMPORAL_TEST_ADDRESS) return; // an already running server was given
  const cli = locateTemporalCli({ projectRoot: root, install: false });
  const server = await startDevServer({ cliPath: cli.path, headless: true, logFile: path.join(dir, 'temporal-test-server.log') });
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.TEMPORAL_CLI = cli.path;
  (globalThis as { __temporalServer?: typeof server }).__temporalServer = server;
}

/** Starts versitygw when it is installed; a test that needs it and finds S3_TEST_UNAVAILABLE set fails with the reason. */
async function startS3(root: string, dir: string): Promise<void> {
  if (process.env.S3_TEST_ENDPOINT) return; // an already running server was given (with S3_TEST_ACCESS_KEY / S3_TEST_SECRET_KEY)
  let binary: string;
  try {
    binary = locateVersitygw({ projectRoot: root, install: false }).path;
  } catch (err) {
    process.env.S3_TEST_UNAVAILABLE = (err as Error).message;
    return;
  }
  const data = path.join(dir, `s3-${process.pid}`);
  fs.rmSync(data, { recursive: true, force: true });
  const s3 = await startS3Server({ binary, dir: data, logFile: path.join(dir, 's3-test-server.log') });
  process.env.S3_TEST_ENDPOINT = s3.endpoint;
  process.env.S3_TEST_ACCESS_KEY = s3.accessKeyId;
  process.env.S3_TEST_SECRET_KEY = s3.secretAccessKey;
  process.env.VERSITYGW = binary;
  (globalThis as { __s3Server?: RunningS3Server & { data: string } }).__s3Server = { ...s3, data };
}
