import fs from 'node:fs';
import type { RunningDevServer, RunningS3Server } from '../../packages/dev-server/src';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __temporalServer?: RunningDevServer }).__temporalServer;
  await server?.stop();
  const s3 = (globalThis as { __s3Server?: RunningS3Server & { data: string } }).__s3Server;
  await s3?.stop();
  if (s3) fs.rmSync(s3.data, { recursive: true, force: true });
}
