import type { RunningDevServer } from '../../packages/dev-server/src';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __temporalServer?: RunningDevServer }).__temporalServer;
  await server?.stop();
}
