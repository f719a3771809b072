import net from 'node:net';
import { portsInUse, portsInUseMessage } from '../src/port-check';

function listen(host: string): Promise<net.Server> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, host, () => resolve(s));
  });
}

test('a port another program listens on is reported with its flag; a free one is not (control)', async () => {
  const busy = await listen('127.0.0.1');
  const anyHost = await listen('0.0.0.0');
  const free = await listen('127.0.0.1');
  const freePort = (free.address() as net.AddressInfo).port;
  await new Promise((r) => free.close(r));
  try {
    const claims = [
      { port: (busy.address() as net.AddressInfo).port, flag: '--metrics-port', what: 'worker metrics' },
      { port: (anyHost.address() as net.AddressInfo).port, flag: '--ui-port', what: 'Temporal Web UI' },
      { port: freePort, flag: '--simulator-port', what: 'Graph simulator' },
      { port: 0, flag: '--temporal-port', what: 'any port' },
    ];
    const taken = await portsInUse(claims);
    expect(taken.map((c) => c.flag)).toEqual(['--metrics-port', '--ui-port']);
    expect(portsInUseMessage(taken)).toContain(`port ${claims[0]!.port} (worker metrics) is already in use`);
    expect(portsInUseMessage(taken)).toContain('--metrics-port <port>');
  } finally {
    busy.close();
    anyHost.close();
  }
});
