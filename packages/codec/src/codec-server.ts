import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { isLoopbackHost } from '@entra-ingest/config';
import { PayloadJsonError, payloadsFromJson, payloadsToJson } from './payload-json';

/** The logging this server needs; `createLogger('codec-server')` from @entra-ingest/config fits. */
export interface CodecServerLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface CodecServerOptions {
  /** Applied in order on /encode and in reverse order on /decode, as a DataConverter does. */
  codecs: PayloadCodec[];
  /** 0 picks a free port. Default 8888. */
  port?: number;
  /** Default 127.0.0.1: the server hands out decrypted data to whoever can reach it. */
  host?: string;
  /**
   * Bearer token every /encode and /decode request must carry (`Authorization: Bearer …`). Required unless `host` is
   * loopback: a token-less server on a network address would decrypt for anyone who can reach it.
   */
  token?: string;
  /**
   * Names the Host header may carry (port ignored). Default: the loopback names plus `host`. A browser page served
   * from another name cannot reach the server through DNS rebinding.
   */
  allowedHosts?: string[];
  /** Web UI origin(s) allowed to call from a browser, e.g. http://localhost:8233. None: no CORS headers at all. */
  corsOrigin?: string | string[];
  /** Largest request body accepted. Default 16 MiB. */
  maxBodyBytes?: number;
  logger?: CodecServerLogger;
}

export interface RunningCodecServer {
  /** Base URL to give the Web UI or `temporal --codec-endpoint`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The bind was refused: a network address without a token. */
export class CodecServerSetupError extends Error {
  override name = 'CodecServerSetupError';
}

/** The host name of a Host header (`name:port`, `[v6]:port`), lower-cased. */
function hostNameOf(header: string): string {
  const v6 = /^\[([^\]]+)\]/.exec(header);
  return (v6 ? v6[1]! : header.replace(/:\d+$/, '')).toLowerCase();
}

/** Compares in constant time for equal-length digests, so the token cannot be guessed byte by byte. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (v: string): Buffer => crypto.createHash('sha256').update(v).digest();
  return crypto.timingSafeEqual(digest(m[1]!.trim()), digest(token));
}

const noop = (): void => undefined;
const silent: CodecServerLogger = { debug: noop, info: noop, warn: noop, error: noop };

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** `/encode`, `/decode`, or either under a prefix such as `/{namespace}/decode` (the CLI's endpoint templating). */
function operationOf(pathname: string): 'encode' | 'decode' | undefined {
  const last = pathname.replace(/\/+$/, '').split('/').pop();
  return last === 'encode' || last === 'decode' ? last : undefined;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained and dropped, so the client still gets the 413 answer.
      if (size > limit) reject(new HttpError(413, `request body is larger than ${limit} bytes`));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function runCodecs(codecs: PayloadCodec[], op: 'encode' | 'decode', payloads: Payload[]): Promise<Payload[]> {
  let out = payloads;
  for (const codec of op === 'encode' ? codecs : [...codecs].reverse()) out = await codec[op](out);
  return out;
}

/**
 * Temporal's remote codec protocol over plain HTTP, so the Web UI and `temporal workflow show --codec-endpoint` can
 * show encrypted payloads in clear: POST a `{"payloads":[…]}` body to /encode or /decode and get the same shape back.
 * With a token it answers only requests that carry it; without one it listens on loopback only. Every request must
 * name an allowed Host and POST application/json.
 */
export async function startCodecServer(opts: CodecServerOptions): Promise<RunningCodecServer> {
  const logger = opts.logger ?? silent;
  const allowed = new Set(opts.corsOrigin === undefined ? [] : Array.isArray(opts.corsOrigin) ? opts.corsOrigin : [opts.corsOrigin]);
  const limit = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token === '' ? undefined : opts.token;
  if (!token && !isLoopbackHost(host)) {
    throw new CodecServerSetupError(`refusing to listen on ${host} without a token: anyone who can reach it could decrypt every payload; give a bearer token or listen on 127.0.0.1`);
  }
  const allowedHosts = new Set([...(opts.allowedHosts ?? [...LOOPBACK_NAMES, host])].map((h) => hostNameOf(h)));

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin && allowed.has(origin)
      ? {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization',
          'Access-Control-Allow-Credentials': 'true',
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        }
      : allowed.size
        ? { Vary: 'Origin' }
        : {};

  const handle = async (req: http.IncomingMessage, cors: Record<string, string>): Promise<{ status: number; body?: unknown }> => {
    const hostHeader = req.headers.host;
    if (!hostHeader || !allowedHosts.has(hostNameOf(hostHeader))) {
      throw new HttpError(421, `host "${hostHeader ?? '(none)'}" is not one this codec server answers for; add it with --allowed-host`);
    }
    const op = operationOf(new URL(req.url ?? '/', 'http://codec').pathname);
    if (!op) throw new HttpError(404, 'not found: POST to /encode or /decode');
    if (req.method === 'OPTIONS') {
      // Browsers send preflights without credentials; the grant says only which origin may ask, not what.
      if (!cors['Access-Control-Allow-Origin']) throw new HttpError(403, `origin ${req.headers.origin ?? '(none)'} is not allowed; start the codec server with --cors-origin set to the Web UI's address`);
      return { status: 204 };
    }
    if (req.method !== 'POST') throw new HttpError(405, `${req.method} is not supported: POST to /${op}`);
    if (token && !tokenMatches(req.headers.authorization, token)) throw new HttpError(401, 'missing or wrong bearer token: send Authorization: Bearer <token>');
    // A JSON content type forces a browser preflight, so a page from an origin not allowed cannot post blind.
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/json') throw new HttpError(415, `Content-Type must be application/json, got "${contentType || '(none)'}"`);
    const raw = await readBody(req, limit);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'body is not JSON');
    }
    const payloads = payloadsFromJson(parsed);
    let result: Payload[];
    try {
      result = await runCodecs(opts.codecs, op, payloads);
    } catch (err) {
      throw new HttpError(422, `cannot ${op} payloads: ${(err as Error).message}`);
    }
    logger.debug(`codec ${op}`, { payloads: payloads.length, namespace: req.headers['x-namespace'] });
    return { status: 200, body: payloadsToJson(result) };
  };

  const server = http.createServer((req, res) => {
    const cors = corsHeaders(req.headers.origin);
    handle(req, cors)
      .then(({ status, body }) => {
        res.writeHead(status, { ...cors, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      })
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : err instanceof PayloadJsonError ? 400 : 500;
        const message = err instanceof Error ? err.message : String(err);
        // Messages name key ids and fields, never payload contents.
        const fields = { status, path: req.url, message };
        if (status >= 500) logger.error('codec request failed', fields);
        else logger.warn('codec request failed', fields);
        if (res.headersSent) return res.destroy();
        const extra = status === 405 ? { Allow: 'POST, OPTIONS' } : status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
        res.writeHead(status, { ...cors, 'Content-Type': 'application/json', ...extra });
        res.end(JSON.stringify({ error: message }));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8888, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  logger.info('codec server listening', { url, corsOrigins: [...allowed], allowedHosts: [...allowedHosts], token: token ? 'required' : 'none (loopback)' });
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
