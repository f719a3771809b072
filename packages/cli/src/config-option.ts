import { CONFIG_ENV, ConfigError, DEV_CONFIG_FILE, type LoadedConfig, loadConfig } from '@entra-ingest/config';
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

/** The help of every command's --config (`what`: what the command reads the config for), with the rule chooseConfigFile applies. */
export function configHelp(what = 'feeds config (YAML or JSON)'): string {
  return `${what}; default $${CONFIG_ENV}, else ${DEV_CONFIG_FILE} when a dev stack (npm start) runs in this directory`;
}
