import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  /** The body after undoing Content-Encoding. */
  text: string;
  rawBytes: number;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

/** A real HTTP(S) server on 127.0.0.1 that hands each decoded request to `handle` and records it. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private server!: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  url = '';

  constructor(private readonly handle: (req: ReceivedRequest) => Reply, private readonly tlsOptions?: https.ServerOptions) {}

  async start(): Promise<this> {
    const listener: http.RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = (req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8');
        const received = { headers: req.headers, text, rawBytes: raw.length };
        this.requests.push(received);
        const reply = this.handle(received);
        const send = (): void => {
          if (res.destroyed) return;
          res.writeHead(reply.status, reply.headers);
          res.end(reply.body ?? '');
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    };
    this.server = this.tlsOptions ? https.createServer(this.tlsOptions, listener) : http.createServer(listener);
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.tlsOptions ? 'https' : 'http'}://127.0.0.1:${port}/ingest`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Small seeded PRNG so a "random" failure pattern is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
