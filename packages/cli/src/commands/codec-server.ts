import type { Command } from 'commander';
import { codecFromConfig, CodecServerSetupError, startCodecServer } from '@entra-ingest/codec';
import { ConfigError, createLogger, resolveSecret, type SecretRef, SecretResolutionError } from '@entra-ingest/config';
import { loadConfigOption, configHelp } from '../config-option';
import { UsageError } from '../errors';
import { parseIntOption } from '../option-parsers';

// The dev server's Web UI, under both names a browser may use for it.
const DEFAULT_UI_ORIGINS = 'http://localhost:8233,http://127.0.0.1:8233';

interface CodecServerOpts {
  config?: string;
  port: number;
  host: string;
  corsOrigin: string;
  tokenEnv?: string;
  tokenFile?: string;
  allowedHost?: string;
}

/** The token by reference only: an environment variable or a file, never the value on the command line. */
function tokenOf(opts: CodecServerOpts): string | undefined {
  if (opts.tokenEnv && opts.tokenFile) throw new UsageError('give --token-env or --token-file, not both');
  const ref: SecretRef | undefined = opts.tokenEnv ? { env: opts.tokenEnv } : opts.tokenFile ? { file: opts.tokenFile } : undefined;
  if (!ref) return undefined;
  try {
    return resolveSecret(ref);
  } catch (err) {
    if (err instanceof SecretResolutionError) throw new UsageError(`codec server token: ${err.message}`);
    throw err;
  }
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
    .option('--config <file>', configHelp('feeds config with temporal.encryption'))
    .option('--port <port>', 'port to listen on', parseIntOption('--port'), 8888)
    .option('--host <host>', 'address to listen on; anything but loopback needs a token', '127.0.0.1')
    .option('--token-env <name>', 'environment variable holding the bearer token requests must carry')
    .option('--token-file <file>', 'file holding the bearer token requests must carry')
    .option('--allowed-host <names>', 'comma-separated names the Host header may carry; default the loopback names and --host')
    .option('--cors-origin <origins>', 'comma-separated Web UI origin(s) allowed to call from a browser', DEFAULT_UI_ORIGINS)
    .action(async (opts: CodecServerOpts) => {
      const corsOrigin = parseOrigins(opts.corsOrigin);
      const token = tokenOf(opts);
      const allowedHosts = opts.allowedHost?.split(',').map((h) => h.trim()).filter(Boolean);
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
      let server;
      try {
        server = await startCodecServer({ codecs, port: opts.port, host: opts.host, corsOrigin, logger, token, allowedHosts });
      } catch (err) {
        if (err instanceof CodecServerSetupError) throw new UsageError(`${err.message} (--token-env or --token-file)`);
        throw err;
      }
      const cli = token ? ` --codec-auth "Bearer $TOKEN"` : '';
      process.stdout.write(`codec server on ${server.url} (Web UI: temporal server start-dev --ui-codec-endpoint ${server.url}; CLI: temporal workflow show --codec-endpoint ${server.url}${cli} …)\n`);
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
