import { runCli } from './program';

/** How long a failed command may take to wind down before the process leaves anyway. */
const FAILED_EXIT_GRACE_MS = 2000;

// A command that failed has already stopped what it started and said why; a native handle it could not close (a
// Temporal connection half made) must not keep the process alive, so it leaves within seconds with its exit code.
function leaveSoon(code: number): void {
  process.exitCode = code;
  if (code !== 0) setTimeout(() => process.exit(code), FAILED_EXIT_GRACE_MS).unref();
}

runCli(process.argv.slice(2)).then(leaveSoon, (err: unknown) => {
  process.stderr.write(`entra-ingest: unexpected error: ${String(err)}\n`);
  leaveSoon(1);
});
