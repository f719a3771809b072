import type { Command } from 'commander';
import { registerDevCommand } from './dev';
import { registerScheduleCommand } from './schedule';
import { registerWorkerCommand } from './worker';
import { registerMapCommand } from './map';
import { registerBackfillCommand } from './backfill';
import { registerCredentialsCommand } from './credentials';
import { registerCheckCommand } from './check';
import { registerCodecServerCommand } from './codec-server';
import { registerSimulateCommand } from './simulate';
import { registerFetchCommand } from './fetch';
import { registerDeadLettersCommand } from './dead-letters';

/** Each command lives in its own file and registers itself here; order is the order in --help. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  registerDevCommand,
  registerWorkerCommand,
  registerScheduleCommand,
  registerCodecServerCommand,
  registerBackfillCommand,
  registerCredentialsCommand,
  registerCheckCommand,
  registerDeadLettersCommand,
  registerMapCommand,
  registerSimulateCommand,
  registerFetchCommand,
];
