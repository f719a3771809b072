import type { Command } from 'commander';
import { type CredentialExpiryStatus, credentialRotatedUpdate, credentialStatusQuery } from '@entra-ingest/workflows';
import { loadConfigOption, configHelp } from '../config-option';
import { credentialTable, freshStatus } from '../credential-table';
import { CommandFailure } from '../errors';
import { feedOption } from '../feed-option';
import { parseIntOption } from '../option-parsers';
import { ensureCredentialWatch } from '../schedules';
import { connectTemporal } from '../temporal';

interface CredentialsOpts {
  config?: string;
  feed?: string;
  json?: boolean;
  rotated?: boolean;
  timeout: number;
}

type WatchHandle = ReturnType<Awaited<ReturnType<typeof connectTemporal>>['client']['workflow']['getHandle']>;

/** Asks the watch until it has read the app's credentials once (a fresh start reads them in its first activity). */
async function readStatus(handle: WatchHandle, timeoutMs: number): Promise<CredentialExpiryStatus> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const status = await handle.query(credentialStatusQuery);
      if (status.source) return status;
      lastError = 'it has not read the credentials yet';
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new CommandFailure(
        `no credential status from ${handle.workflowId} after ${Math.round(timeoutMs / 1000)}s (${lastError}); is a worker with this feed ` +
          'running on the task queue? Its Web UI page shows why a read failed.',
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CommandFailure(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function registerCredentialsCommand(program: Command): void {
  program
    .command('credentials')
    .description("show when the feed's client secrets and certificates expire; starts the reminder workflow if needed")
    .option('--config <file>', configHelp())
    .option('--feed <id>', 'feed id')
    .option('--rotated', 'tell the reminder workflow the credential was rotated: it re-reads now and stops reminding about the old one')
    .option('--json', 'print the status as JSON')
    .option('--timeout <seconds>', 'how long to wait for the first read', parseIntOption('--timeout', 1), 60)
    .action(async (opts: CredentialsOpts) => {
      const loaded = loadConfigOption(opts.config);
      const feed = feedOption(loaded.config, opts.feed, 'credentials');
      const t = await connectTemporal(loaded.config);
      try {
        const watch = await ensureCredentialWatch(t.client, feed, t.target.taskQueue);
        if (watch.started) process.stderr.write(`started ${watch.workflowId} on task queue ${t.target.taskQueue}\n`);
        const handle = t.client.workflow.getHandle(watch.workflowId);
        // The update returns once the workflow has re-read the credentials, so what is printed next is current.
        let status = opts.rotated
          ? await withTimeout(handle.executeUpdate(credentialRotatedUpdate), opts.timeout * 1000,
            `${watch.workflowId} did not confirm the re-read within ${opts.timeout}s; is a worker with this feed running on task queue ${t.target.taskQueue}?`)
          : await readStatus(handle, opts.timeout * 1000);
        // After a rotation whose re-read failed the status may still lack a read: wait for one like a plain call.
        if (!status.source) status = await readStatus(handle, opts.timeout * 1000);
        const fresh = freshStatus(status, Date.now());
        process.stdout.write(opts.json ? `${JSON.stringify({ workflowId: watch.workflowId, ...fresh }, null, 2)}\n` : credentialTable(fresh));
      } finally {
        await t.close();
      }
    });
}
