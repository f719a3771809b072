import type { Command } from 'commander';

/** Each command lives in its own file and registers itself here; order is the order in --help. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
