import { ConfigError, type LoadedConfig, loadConfig } from '@entra-ingest/config';
import { UsageError } from './errors';

/** Loads --config (or $ENTRA_INGEST_CONFIG); a config problem is a usage error (exit 2) listing every field at fault. */
export function loadConfigOption(file: string | undefined): LoadedConfig {
  try {
    return loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}
