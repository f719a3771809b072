import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';

// The foundation's promise: a real worker on the real dev server runs a workflow end to end.
test('a real worker runs a workflow on the dev server', async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS!;
  const taskQueue = `smoke-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../fixtures/smoke-workflows'),
    activities: { greet: async (name: string) => `hello ${name} from pid ${process.pid}` },
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    const result = await worker.runUntil(
      client.workflow.execute('smoke', { taskQueue, workflowId: `smoke-${randomUUID()}`, args: ['entra'] }),
    );
    expect(result).toBe(`hello entra from pid ${process.pid}`);
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
});
