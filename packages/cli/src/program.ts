import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError, exitCodeFor } from './errors';
import { COMMANDS } from './commands';

export function buildProgram(): Command {
  const program = new Command('entra-ingest')
    .description('Microsoft Entra ID activity from Microsoft Graph to OCSF, orchestrated by Temporal')
    .version(require('../package.json').version as string)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

/** Runs the CLI and returns the process exit code; never throws. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; commander has already printed usage errors.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`entra-ingest: ${err instanceof UsageError ? '' : 'error: '}${message}\n`);
    return exitCodeFor(err);
  }
}
