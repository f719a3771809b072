// Runs a server as its child and stops it when the process that started this one is gone, however it went (a
// SIGKILL, a crash, a closed terminal): the server lives in a process group of its own (see server-process.ts),
// where no signal to its starter's group reaches it, and a server such as the Temporal CLI cannot watch its parent.
// Usage: node die-with-parent.js <stop grace ms> <binary> [args…], with an IPC channel to the starter: the channel
// closes when the starter dies. SIGTERM and SIGINT are passed on; this process exits as the server does.
import { spawn } from 'node:child_process';

const [graceArg, binary, ...args] = process.argv.slice(2);
if (!binary || !process.send) {
  process.stderr.write('usage: node die-with-parent.js <stop grace ms> <binary> [args...], started with an IPC channel\n');
  process.exit(2);
}
const graceMs = Number(graceArg);
const server = spawn(binary, args, { stdio: 'inherit' });

const stop = (signal: NodeJS.Signals): void => {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill(signal);
  setTimeout(() => server.kill('SIGKILL'), graceMs).unref();
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('disconnect', () => stop('SIGTERM'));
server.on('error', (err) => {
  process.stderr.write(`cannot start ${binary}: ${err.message}\n`);
  process.exit(127);
});
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
