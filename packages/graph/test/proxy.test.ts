import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { GraphClient, closeTokenProviders } from '../src';
import { newSecret, secretConnection } from './helpers/connection';
import { page, startFakeMicrosoft, type FakeMicrosoft } from './helpers/fake-microsoft';

// HTTPS_PROXY applies to login and Graph alike (msal's HTTP runs on the same undici dispatcher).

let proxy: http.Server;
let tunnels: string[];
let ms: FakeMicrosoft;
const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };

beforeAll(async () => {
  tunnels = [];
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await closeTokenProviders();
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await ms?.close();
});

it('sign-in and Graph requests go through the CONNECT proxy named by HTTPS_PROXY', async () => {
  const secret = newSecret();
  ms = await startFakeMicrosoft({ token: { secret }, graph: () => page([{ id: 'a1' }]) });
  delete process.env.NO_PROXY;
  delete process.env.no_proxy;
  delete process.env.https_proxy;
  process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const client = new GraphClient({ connection: secretConnection(ms, secret) });
  try {
    await client.probe('directoryAudits');
  } finally {
    await client.close();
  }
  const target = new URL(ms.url).host;
  // One tunnel for the token endpoint (msal's dispatcher) and one for Graph (the client's).
  expect(tunnels).toEqual([target, target]);
  expect(ms.tokenRequests()).toHaveLength(1);
  expect(ms.graphRequests()).toHaveLength(1);
});
