// Build step (`pnpm build` runs it after tsc): generates the standalone validator code the worker loads at start.
import { writeValidatorCode } from './compiled-validators';

for (const kind of ['fast', 'full'] as const) {
  const started = Date.now();
  const wrote = writeValidatorCode(kind);
  process.stdout.write(wrote ? `[build] OCSF validators (${kind}) generated in ${Date.now() - started} ms\n` : '');
}
