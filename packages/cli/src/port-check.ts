import net from 'node:net';

/** A port a command is about to listen on, and the option that moves it. */
export interface PortClaim {
  port: number;
  flag: string;
  what: string;
}

function inUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/**
 * The claimed ports something else already listens on. Checked before anything starts, so a taken port costs the
 * user one clear message instead of a half-started stack (port 0 means "any free port" and is never taken).
 */
export async function portsInUse(claims: PortClaim[], host = '127.0.0.1'): Promise<PortClaim[]> {
  const taken: PortClaim[] = [];
  for (const claim of claims) if (claim.port !== 0 && (await inUse(claim.port, host))) taken.push(claim);
  return taken;
}

export function portsInUseMessage(taken: PortClaim[]): string {
  const lines = taken.map((c) => `port ${c.port} (${c.what}) is already in use: stop the program using it, or choose another port with ${c.flag} <port>`);
  return lines.join('\n');
}
