import type { Command } from 'commander';
import { codecFromConfig, startCodecServer } from '@entra-ingest/codec';
import { ConfigError, createLogger } from '@entra-ingest/config';
import { loadConfigOption } from '../config-option';
import { UsageError } from '../errors';
import { parseIntOption } from '../program';

// The dev server's Web UI, under both names a browser may use for it.
const DEFAULT_UI_ORIGINS = 'http://localhost:8233,http://127.0.0.1:8233';

interface CodecServerOpts {
  config?: string;
  port: number;
  host: string;
  corsOrigin: string;
}

function parseOrigins(value: string): string[] {
  return value.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new UsageError(`--cors-origin must be a list of origins like http://127.0.0.1:8233, got "${o}"`);
    }
    if (!/^https?:$/.test(url.protocol) || url.origin !== o.replace(/\/$/, '')) {
      throw new UsageError(`--cors-origin "${o}" is not an origin: give scheme, host and port only, like http://127.0.0.1:8233`);
    }
    return url.origin;
  });
}

export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description('serve Temporal\'s remote codec protocol so the Web UI and CLI can show encrypted payloads (temporal.encryption)')
    .option('--config <file>', 'feeds config with temporal.encryption; default $ENTRA_INGEST_CONFIG')
    .option('--port <port>', 'port to listen on', parseIntOption('--port'), 8888)
    .option('--host <host>', 'address to listen on (anyone who can reach it can decrypt)', '127.0.0.1')
    .option('--cors-origin <origins>', 'comma-separated Web UI origin(s) allowed to call from a browser', DEFAULT_UI_ORIGINS)
    .action(async (opts: CodecServerOpts) => {
      const corsOrigin = parseOrigins(opts.corsOrigin);
      const loaded = loadConfigOption(opts.config);
      let codecs;
      try {
        codecs = codecFromConfig(loaded.config, loaded.baseDir);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      if (!codecs) throw new UsageError(`${loaded.source} has no temporal.encryption: payloads are not encrypted, so there is nothing to decode`);
      const logger = createLogger('codec-server');
      const server = await startCodecServer({ codecs, port: opts.port, host: opts.host, corsOrigin, logger });
      process.stdout.write(`codec server on ${server.url} (Web UI: temporal server start-dev --ui-codec-endpoint ${server.url})\n`);
      // Serve until SIGINT/SIGTERM, then close cleanly so the exit code is 0.
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await server.close();
    });
}
